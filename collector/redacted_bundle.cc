#include "redacted_bundle.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "archive_writer.h"
#include "bundle.h"
#include "report/report_writers.h"
#include "input/text_encoding.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

struct FolderFile {
  std::string relative;  // inside the folder, with '/'
  std::string name;      // in the archive: the folder's own name first
  std::string text;      // UTF-8; empty for a binary file
  std::string binary_kind;
};

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::ErrnoToStatus(errno, StrCat("cannot read ", path));
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::ErrnoToStatus(errno, StrCat("cannot read ", path));
  return std::move(content).str();
}

std::string ArchiveSafeName(std::string name) {
  for (char& c : name) {
    if (c == '<' || c == '>') c = '_';
  }
  return name;
}

std::string RedactionJson(const Redaction& redaction, const std::vector<std::string>& left_out) {
  std::string out = "{\"applied\": true, \"replaced\": [";
  for (size_t i = 0; i < redaction.replaced.size(); ++i) {
    const RedactedCount& count = redaction.replaced[i];
    out += StrCat(i == 0 ? "" : ", ", "{\"kind\": ", JsonString(count.kind), ", \"placeholder\": ",
                  JsonString(StrCat("<", count.kind, "-N>")), ", \"values\": ", count.values,
                  ", \"occurrences\": ", count.occurrences, "}");
  }
  out += "], \"left_out\": [";
  for (size_t i = 0; i < left_out.size(); ++i) out += StrCat(i == 0 ? "" : ", ", JsonString(left_out[i]));
  return StrCat(out, "]}");
}

}  // namespace

absl::StatusOr<std::string> WriteRedactedArchive(const std::string& dir, const std::string& base, Report& report,
                                                 std::string_view tool_version, Redactor& redactor) {
  absl::StatusOr<std::vector<std::string>> paths = ListFolder(dir);
  if (!paths.ok()) return paths.status();
  fs::path root = fs::path(dir).lexically_normal();
  if (root.filename().empty()) root = root.parent_path();

  // Learn from everything first, so that every file is redacted alike.
  std::vector<FolderFile> files;
  for (const std::string& path : *paths) {
    FolderFile file;
    file.relative = fs::path(path).lexically_relative(root).generic_string();
    file.name = (root.filename() / file.relative).generic_string();
    absl::StatusOr<std::string> data = ReadWhole(path);
    if (!data.ok()) return data.status();
    if (std::optional<std::string> utf8 = DecodeUtf16WithBom(*data)) {
      file.text = *std::move(utf8);
    } else if (std::string_view kind = BinaryKind(std::string_view(*data).substr(0, 4096)); !kind.empty()) {
      file.binary_kind = std::string(kind);
    } else {
      file.text = *std::move(data);
    }
    redactor.Learn(file.name);
    if (file.binary_kind.empty()) redactor.Learn(file.text);
    files.push_back(std::move(file));
  }
  redactor.RedactReport(report);

  std::vector<ArchiveEntry> entries;
  std::vector<std::string> left_out;
  std::optional<size_t> manifest;
  for (FolderFile& file : files) {
    std::string name = ArchiveSafeName(redactor.Redact(file.name));
    if (!file.binary_kind.empty()) {
      left_out.push_back(StrCat(ArchiveSafeName(redactor.Redact(file.relative)), " (", file.binary_kind,
                                "; binary files are not sent redacted)"));
      continue;
    }
    if (file.relative == "report.md") {
      entries.push_back({name, RenderMarkdown(report)});
    } else if (file.relative == "report.json") {
      entries.push_back({name, RenderJson(report, tool_version)});
    } else {
      if (file.relative == "manifest.json") manifest = entries.size();
      entries.push_back({name, redactor.Redact(file.text)});
    }
  }
  if (!manifest) return absl::FailedPreconditionError(StrCat(dir, " has no manifest.json to record the redaction in"));
  // Every other file is redacted by now, so the summary covers the whole archive.
  std::string& text = entries[*manifest].data;
  size_t close = text.rfind('}');
  if (close == std::string::npos || StripWhitespace(std::string_view(text).substr(0, close)).empty()) {
    return absl::DataLossError(StrCat(dir, "/manifest.json is not a JSON object"));
  }
  std::string_view head = StripTrailingWhitespace(std::string_view(text).substr(0, close));
  text = StrCat(head, ",\n  \"redaction\": ", RedactionJson(redactor.Summary(), left_out), "\n}\n");
  return ArchiveEntries(entries, base);
}

}  // namespace tediag::collector
