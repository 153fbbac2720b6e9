#include "diagnose/app_identity.h"

#include <algorithm>
#include <numeric>

#include "simdjson.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Parts of macOS that log about other apps. Their lines name the app in their text, if at all.
constexpr std::string_view kSystemProcesses[] = {
    "kernel",
    "amfid",
    "syspolicyd",
    "tccd",
    "taskgated",
    "taskgated-helper",
    "trustd",
    "launchd",
    "securityd",
    "sandboxd",
    "XprotectService",
    "XProtect",
    "CoreServicesUIAgent",
    "runningboardd",
    "lsd",
    "Finder",
    "Dock",
    "loginwindow",
    "spctl",
    "codesign",
    "xattr",
    "stapler",
    "notarytool",
    "syspolicy_check",
    "appleeventsd",
    "coreservicesd",
    "ReportCrash",
    "osanalyticshelper",
    "logd",
    "dyld",
    "nsurlsessiond",
    "mdworker",
    "mds",
    "gk",
    "GatekeeperXPC",
    "XPCServices",
    "opendirectoryd",
    "distnoted",
    "cfprefsd",
    "UserEventAgent",
    "smd",
    "launchservicesd",
    "installer",
    "Installer",
    "package_script_service",
    "system_installd",
    "installd",
    "sudo",
    "open",
};

// Folders that hold only the system's own programs.
constexpr std::string_view kSystemFolders[] = {"/System/",  "/usr/libexec/", "/usr/sbin/",
                                               "/usr/bin/", "/sbin/",        "/bin/"};

// Helper suffixes folded into the app's name: "Foo Helper", "Foo Helper (GPU)", "Foo Helper (Renderer)".
std::string_view StripHelper(std::string_view name) {
  if (name.ends_with(")")) {
    size_t open = name.rfind(" (");
    if (open != std::string_view::npos && name.substr(0, open).ends_with(" Helper")) name = name.substr(0, open);
  }
  if (name.ends_with(" Helper") && name.size() > 7) name.remove_suffix(7);
  return name;
}

void AddUnique(std::vector<std::string>& list, std::string_view value) {
  if (value.empty()) return;
  for (const std::string& v : list) {
    if (EqualsIgnoreCase(v, value)) return;
  }
  list.emplace_back(value);
}

// A name as a key: its helpers folded in, case, spaces, '-' and '_' left out, so "ZeroTier One",
// "zerotier-one" and the "ZeroTier-One" of a bundle ID are one name.
std::string NameKey(std::string_view name) {
  std::string key = "name:";
  for (char c : BaseAppName(name)) {
    if (c != ' ' && c != '-' && c != '_') key.push_back(AsciiToLower(c));
  }
  return key;
}

// The last component of a bundle ID is, by Apple's convention, the app's own name
// ("com.example.Foo-Bar" → "Foo-Bar"), unless it is a word any app could use.
std::string_view BundleIdName(std::string_view bundle_id) {
  static constexpr std::string_view kGenericNames[] = {"app",    "mac",      "macos",  "osx",    "desktop",
                                                       "client", "helper",   "agent",  "main",   "ui",
                                                       "gui",    "launcher", "daemon", "service"};
  size_t dot = bundle_id.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string_view last = bundle_id.substr(dot + 1);
  for (std::string_view generic : kGenericNames) {
    if (EqualsIgnoreCase(last, generic)) return {};
  }
  return last;
}

// The keys that join name sets: "id:…", "path:…" (a bundle's path), "name:…", "pid:…". A bundle
// ID also gives a name key: the ID as written (evidence may give it where a name goes), and its
// last component, which joins the ID to evidence naming the app ("com.example.Foo" and "Foo").
std::vector<std::string> KeysOf(const AppNames& names) {
  std::vector<std::string> keys;
  if (!names.bundle_id.empty()) {
    keys.push_back(StrCat("id:", ToLower(names.bundle_id)));
    keys.push_back(NameKey(names.bundle_id));
    if (std::string_view name = BundleIdName(names.bundle_id); !name.empty()) keys.push_back(NameKey(name));
  }
  for (const std::string& path : names.paths) {
    std::string bundle;
    AppFromPath(path, &bundle);
    keys.push_back(StrCat("path:", ToLower(bundle.empty() ? path : bundle)));
  }
  for (const std::string& name : names.names) keys.push_back(NameKey(name));
  if (!names.pid_key.empty()) keys.push_back(StrCat("pid:", names.pid_key));
  return keys;
}

// Whether `name` ends like an archive that tediag names members of as "ARCHIVE:member".
bool IsArchiveName(std::string_view name) {
  for (std::string_view ext : {".zip", ".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2"})
    if (name.ends_with(ext)) return true;
  return false;
}

// The image dyld names in "Referenced from: <UUID> /A/Foo.app/Contents/MacOS/Foo" (macOS 12+;
// older reports omit the UUID), when it lies inside an app bundle: the app a crash fragment
// without its header (no Process:, no Path:) is about. Empty otherwise.
std::string_view DyldReferencedBundleImage(std::string_view details) {
  constexpr std::string_view kKey = "Referenced from:";
  size_t at = details.find(kKey);
  if (at == std::string_view::npos) return {};
  std::string_view rest = StripLeadingWhitespace(details.substr(at + kKey.size()));
  if (rest.starts_with("<")) {
    size_t close = rest.find('>');
    if (close == std::string_view::npos) return {};
    rest = StripLeadingWhitespace(rest.substr(close + 1));
  }
  std::string_view path = StripWhitespace(rest.substr(0, rest.find('\n')));
  return path.starts_with("/") && path.find(".app/") != std::string_view::npos ? path : std::string_view{};
}

// What a poster writes instead of the app's name, lower case: a retyped dialog's "XXX.app", "the
// app", 应用 ("application"), アプリ ("app"). None of them names an app.
constexpr std::string_view kPlaceholderNames[] = {
    "app",
    "the app",
    "this app",
    "your app",
    "my app",
    "application",
    "the application",
    "appname",
    "app name",
    "yourapp",
    "<app>",
    "...",
    "\xE2\x80\xA6",                                                                                      // "…"
    "\xE5\xBA\x94\xE7\x94\xA8",                                                                          // 应用
    "\xE5\xBA\x94\xE7\x94\xA8\xE7\xA8\x8B\xE5\xBA\x8F",                                                  // 应用程序
    "\xE8\xBD\xAF\xE4\xBB\xB6",                                                                          // 软件
    "\xE3\x82\xA2\xE3\x83\x97\xE3\x83\xAA",                                                              // アプリ
    "\xE3\x82\xA2\xE3\x83\x97\xE3\x83\xAA\xE3\x82\xB1\xE3\x83\xBC\xE3\x82\xB7\xE3\x83\xA7\xE3\x83\xB3",  // アプリケーション
};

}  // namespace

std::string AppFromPath(std::string_view path, std::string* bundle) {
  size_t end = path.find(".app/");
  if (end == std::string_view::npos && path.ends_with(".app")) end = path.size() - 4;
  if (end != std::string_view::npos) {
    size_t slash = path.rfind('/', end);
    size_t start = slash == std::string_view::npos ? 0 : slash + 1;
    // "MyApp.zip:MyApp.app/…", an archive's member as tediag names it: the app is the member's.
    size_t colon = path.rfind(':', end);
    if (colon != std::string_view::npos && colon >= start && IsArchiveName(path.substr(0, colon))) start = colon + 1;
    if (bundle) *bundle = std::string(path.substr(0, end + 4));
    return std::string(path.substr(start, end - start));
  }
  std::string_view trimmed = (path.ends_with("/") ? path.substr(0, path.size() - 1) : path);
  size_t slash = trimmed.rfind('/');
  if (bundle) bundle->clear();
  return std::string(slash == std::string_view::npos ? trimmed : trimmed.substr(slash + 1));
}

std::string BaseAppName(std::string_view name) {
  name = StripWhitespace(name);
  if (name.size() > 4 && name.ends_with(".app")) name.remove_suffix(4);
  return std::string(StripHelper(name));
}

bool IsSystemProcess(std::string_view process, std::string_view process_path) {
  for (std::string_view folder : kSystemFolders) {
    if (process_path.starts_with(folder)) return true;
  }
  if (process.starts_with("com.apple.")) return true;
  return std::find(std::begin(kSystemProcesses), std::end(kSystemProcesses), process) != std::end(kSystemProcesses);
}

bool IsPlaceholderAppName(std::string_view name) {
  std::string base = ToLower(BaseAppName(name));
  if (base.size() >= 2 && base.find_first_not_of('x') == std::string::npos) return true;  // "XXX", "xxxxxxxx"
  return std::find(std::begin(kPlaceholderNames), std::end(kPlaceholderNames), base) != std::end(kPlaceholderNames);
}

AppNames NamesOfHit(std::string_view input, const Captures& captures, const Record& record) {
  AppNames out;
  const bool crash = record.kind == RecordKind::kCrashReport;
  auto name = [&](std::string_view value, int rank) {
    if (value.empty()) return;
    std::string base = BaseAppName(value);
    if (base.empty() || IsPlaceholderAppName(base)) return;
    if (out.names.empty()) out.rank = rank;  // called best first: names[0] is the display name
    AddUnique(out.names, value);
  };
  if (crash) {  // the crashed process is the app the report is about
    name(record.Get(Field::kProcess), 0);
    out.bundle_id = std::string(record.Get(Field::kBundleId));
    AddUnique(out.paths, record.Get(Field::kProcessPath));
    if (out.names.empty() && out.paths.empty()) {  // a fragment: dyld may say which executable it loaded
      std::string_view image = DyldReferencedBundleImage(record.Get(Field::kTerminationDetails));
      if (!image.empty()) {
        AddUnique(out.paths, image);
        name(AppFromPath(image), 2);
      }
    }
  }
  name(CaptureValue(captures, "app"), 1);
  for (std::string_view path :
       {CaptureValue(captures, "path"), CaptureValue(captures, "bundle_path"), record.Get(Field::kPath)}) {
    if (path.empty()) continue;
    AddUnique(out.paths, path);
    name(AppFromPath(path), 2);
  }
  if (std::string_view id = CaptureValue(captures, "bundle_id"); !id.empty() && out.bundle_id.empty()) {
    out.bundle_id = std::string(id);
  }
  out.identified = !out.Empty();
  if (!crash) {
    std::string_view process = record.Get(Field::kProcess);
    std::string_view path = record.Get(Field::kProcessPath);
    if (!IsSystemProcess(process, path)) {  // an app logging its own trouble names itself
      name(process, 3);
      if (process.empty() && !path.empty()) name(AppFromPath(path), 3);
    }
  }
  std::string_view pid = CaptureValue(captures, "pid");
  if (pid.empty()) pid = record.Get(Field::kPid);
  if (!pid.empty() && (crash || !CaptureValue(captures, "pid").empty())) out.pid_key = StrCat(input, "\t", pid);
  return out;
}

std::optional<AppNames> ManifestApp(std::string_view json) {
  // Cheap for any other input: the schema is the manifest's first key.
  if (StripLeadingWhitespace(json).substr(0, 256).find(kBundleSchema) == std::string_view::npos) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  std::string_view schema;
  if (root["schema"].get(schema) != simdjson::SUCCESS || schema != kBundleSchema) return std::nullopt;
  simdjson::dom::element app;
  if (root["app"].get(app) != simdjson::SUCCESS) return std::nullopt;
  auto field = [&](const char* key) {
    std::string_view value;
    return app[key].get(value) == simdjson::SUCCESS ? value : std::string_view{};
  };
  AppNames out;
  out.rank = 0;
  AddUnique(out.names, field("name"));
  out.bundle_id = std::string(field("bundle_id"));
  for (const char* key : {"path", "executable"}) {
    AddUnique(out.paths, field(key));
    if (!field(key).empty()) AddUnique(out.names, AppFromPath(field(key)));
  }
  std::string_view executable = field("executable");
  if (size_t slash = executable.rfind('/'); slash != std::string_view::npos) {
    AddUnique(out.names, executable.substr(slash + 1));
  }
  out.identified = true;
  if (out.Empty()) return std::nullopt;
  return out;
}

void AppResolver::AddKnown(AppNames names) {
  sets_.push_back(std::move(names));
  known_.push_back(true);
  parent_.push_back(parent_.size());
}

size_t AppResolver::Add(const AppNames& names) {
  std::string signature = StrCat(names.rank, "\n", names.bundle_id, "\n", Join(names.names, "\t"), "\n",
                                 Join(names.paths, "\t"), "\n", names.pid_key);
  auto [it, added] = by_signature_.try_emplace(signature, sets_.size());
  if (added) {
    sets_.push_back(names);
    known_.push_back(false);
    parent_.push_back(parent_.size());
  }
  return it->second;
}

size_t AppResolver::Find(size_t x) {
  while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
  return x;
}

void AppResolver::Unite(size_t a, size_t b) {
  a = Find(a), b = Find(b);
  if (a != b) parent_[std::max(a, b)] = std::min(a, b);
}

std::vector<std::optional<size_t>> AppResolver::Resolve(std::vector<AppIdentity>& apps) {
  absl::flat_hash_map<std::string, size_t> owner;  // key → first set holding it
  for (size_t i = 0; i < sets_.size(); ++i) {
    for (const std::string& key : KeysOf(sets_[i])) {
      auto [it, added] = owner.try_emplace(key, i);
      if (!added) Unite(it->second, i);
    }
  }
  // One identity per joined set that some hit used, in order of first appearance.
  // A joined set is an app when some member names one (a pid alone names nothing).
  absl::flat_hash_map<size_t, bool> named;
  for (size_t i = 0; i < sets_.size(); ++i) named[Find(i)] |= !sets_[i].Empty();
  std::vector<std::optional<size_t>> app_of(sets_.size());
  absl::flat_hash_map<size_t, size_t> root_app;
  std::vector<int> rank;
  for (size_t i = 0; i < sets_.size(); ++i) {
    if (known_[i] || !named[Find(i)]) continue;
    auto [it, added] = root_app.try_emplace(Find(i), apps.size());
    if (added) {
      apps.emplace_back();
      rank.push_back(99);
    }
    app_of[i] = it->second;
  }
  for (size_t i = 0; i < sets_.size(); ++i) {  // known sets fill the identities hits named
    if (sets_[i].Empty()) continue;
    auto it = root_app.find(Find(i));
    if (it == root_app.end()) continue;
    AppIdentity& app = apps[it->second];
    const AppNames& names = sets_[i];
    if (!names.names.empty() && names.rank < rank[it->second]) {
      rank[it->second] = names.rank;
      app.name = BaseAppName(names.names.front());
    }
    if (app.bundle_id.empty()) app.bundle_id = names.bundle_id;
    for (const std::string& path : names.paths) AddUnique(app.paths, path);
    for (const std::string& name : names.names) AddUnique(app.names, name);
  }
  // The display name is the best name any member gave; an app named only by its bundle ID, in
  // every piece of evidence, is shown by the ID (else by the file a path names).
  for (AppIdentity& app : apps) {
    if (app.name.empty())
      app.name = !app.bundle_id.empty() || app.paths.empty() ? app.bundle_id : AppFromPath(app.paths[0]);
  }
  return app_of;
}

}  // namespace tediag
