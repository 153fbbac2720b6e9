#include "app_resolver.h"

#include <filesystem>

#include "simdjson.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

constexpr std::chrono::seconds kQuickTool{20};

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// A bundle ID is reverse-DNS: letters, digits, '-', '.', with at least one dot and no '/'.
bool LooksLikeBundleId(std::string_view query) {
  if (query.find('.') == std::string_view::npos || query.ends_with(".app")) return false;
  for (char c : query) {
    if (!(IsAsciiAlnum(c) || c == '.' || c == '-')) return false;
  }
  return query.front() != '.' && query.back() != '.';
}

std::string StemOf(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.ends_with(".app")) name.resize(name.size() - 4);
  return name;
}

// Fills bundle ID, executable and version from Info.plist, via plutil's JSON.
void ReadInfoPlist(ResolvedApp& app, const ToolPaths& tools, CommandLog& log) {
  std::string plist = StrCat(app.bundle_path, "/Contents/Info.plist");
  app.executable = StrCat(app.bundle_path, "/Contents/MacOS/", app.name);
  if (!Exists(plist)) {
    app.notes.push_back(StrCat("no Info.plist at ", plist, "; assuming the executable is named after the app"));
    return;
  }
  absl::StatusOr<CommandResult> result =
      log.Run("plutil", {tools.Resolve("plutil"), "-convert", "json", "-o", "-", plist}, kQuickTool,
              /*merge_stderr=*/false);
  if (!result.ok() || result->status.code != 0) {
    app.notes.push_back(StrCat("Info.plist could not be converted by plutil (",
                               result.ok() ? result->status.Describe() : std::string(result.status().message()),
                               "); assuming the executable is named after the app"));
    return;
  }
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(result->output);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root;
  if (parser.iterate(json).get(doc) || doc.get_object().get(root)) {
    app.notes.push_back("plutil's output for Info.plist is not a JSON object");
    return;
  }
  for (auto field : root) {
    std::string_view key, value;
    if (field.unescaped_key().get(key) || field.value().get_string().get(value)) continue;
    if (key == "CFBundleIdentifier") app.bundle_id = std::string(value);
    if (key == "CFBundleExecutable" && !value.empty() && value.find('/') == std::string_view::npos) {
      app.executable = StrCat(app.bundle_path, "/Contents/MacOS/", value);
    }
    if (key == "CFBundleShortVersionString") app.version = std::string(value);
  }
}

ResolvedApp FromBundle(const std::string& query, std::string path, std::string how, const ToolPaths& tools,
                       CommandLog& log) {
  ResolvedApp app;
  app.query = query;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  app.bundle_path = path;
  app.name = StemOf(path);
  app.how = std::move(how);
  ReadInfoPlist(app, tools, log);
  return app;
}

}  // namespace

absl::StatusOr<ResolvedApp> ResolveApp(const std::string& query, const ResolveOptions& options, const ToolPaths& tools,
                                       CommandLog& log) {
  if (query.empty()) return absl::InvalidArgumentError("--app needs a name, a path or a bundle ID");
  if (query.find('/') != std::string::npos) {
    if (!Exists(query)) return absl::NotFoundError(StrCat("no app at ", query));
    std::string absolute = fs::absolute(query).lexically_normal().string();
    if (IsDirectory(absolute)) return FromBundle(query, absolute, "path", tools, log);
    ResolvedApp app;  // a bare executable (a command-line tool)
    app.query = query;
    app.name = fs::path(absolute).filename().string();
    app.executable = absolute;
    app.how = "path to an executable";
    return app;
  }

  std::string file = query.ends_with(".app") ? query : StrCat(query, ".app");
  std::vector<std::string> looked;
  for (const std::string& dir : options.app_dirs) {
    for (const std::string& folder : {dir, StrCat(dir, "/Utilities")}) {
      std::string candidate = StrCat(folder, "/", file);
      if (IsDirectory(candidate)) return FromBundle(query, candidate, StrCat("name in ", folder), tools, log);
    }
    looked.push_back(dir);
  }

  if (LooksLikeBundleId(query)) {
    if (!tools.Available("mdfind")) {
      return absl::NotFoundError(StrCat("'", query, "' looks like a bundle ID, but Spotlight's mdfind (",
                                        tools.Resolve("mdfind"), ") is not available to look it up"));
    }
    // mdfind's query language quotes with '…' and escapes with a backslash; the query is one
    // argv element, never seen by a shell.
    std::string quoted = ReplaceAll(ReplaceAll(query, "\\", "\\\\"), "'", "\\'");
    absl::StatusOr<CommandResult> result =
        log.Run("mdfind", {tools.Resolve("mdfind"), StrCat("kMDItemCFBundleIdentifier == '", quoted, "'")}, kQuickTool,
                /*merge_stderr=*/false);
    if (result.ok() && result->status.code == 0) {
      for (std::string_view line : Split(result->output, '\n', /*skip_empty=*/true)) {
        std::string path(StripWhitespace(line));
        if (path.ends_with(".app") && IsDirectory(path)) {
          return FromBundle(query, path, "bundle ID via Spotlight (mdfind)", tools, log);
        }
      }
    }
    looked.push_back("Spotlight (mdfind)");
  }
  return absl::NotFoundError(
      StrCat("no app named '", query, "' in ", Join(looked, ", "), "; give its path instead (--app /path/to/App.app)"));
}

}  // namespace tediag::collector
