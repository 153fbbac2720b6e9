// App identity: which app a piece of evidence is about, however it names it, and which names
// belong to one app.
//
// A hit names its app in some of these ways: a bundle ID, a name (CFBundleName, the executable,
// a crash report's process, a helper such as "MyApp Helper (GPU)"), a path inside the bundle
// ("/Applications/Foo.app/Contents/MacOS/Foo", "…/Foo.app/Contents/Frameworks/…"), or the pid
// of a process another line of the same input named. System processes that log about an app
// (kernel, amfid, syspolicyd, tccd, …) are never the app. AppResolver gathers the names of every
// hit, and those a collector bundle's manifest says belong together, and joins the sets that
// share a key (a bundle ID, a bundle's path, a name once helpers are folded into their app and
// case, spaces, '-' and '_' left out, the last component of a bundle ID as such a name, or the
// pid of the same input): each joined set is one AppIdentity, shown by the best name any of its
// evidence gave (a crash report's process, a rule's app, a path's bundle, the logging process),
// by its bundle ID only when no evidence gave a name. A hit that names no app gets
// no identity: it is never joined with another input's evidence, nor counted as any app.
//
// Costs: called on the merging thread for hits only, never per log line; Resolve is linear in
// the keys (union-find). Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "match/matcher.h"
#include "tediag/report.h"

namespace tediag {

// What one hit says about the app it concerns. `names` are in order of preference as the app's
// display name; all empty: the hit names no app.
struct AppNames {
  std::vector<std::string> names;
  std::string bundle_id;
  std::vector<std::string> paths;
  std::string pid_key;      // "input\tpid": ties lines of one input about one process
  bool identified = false;  // named by what the evidence says, not only by the process that logged it
  int rank = 9;             // how good names[0] is as a display name: 0 best (a manifest, a crash report)

  bool Empty() const { return names.empty() && bundle_id.empty() && paths.empty(); }
};

// The names a hit of a rule gives its app: the rule's captures (app, path, bundle_path,
// bundle_id, pid), the record's own fields (a crash report's process, bundle ID and path; a
// notary issue's path), and the process that logged a log line unless it is a system process.
// A crash fragment without its header (no process, no path) is about the app whose executable
// dyld's "Referenced from:" names, when that lies in an app bundle.
AppNames NamesOfHit(std::string_view input, const Captures& captures, const Record& record);

// The app a path is inside: the outermost bundle ("/A/Foo.app/Contents/Frameworks/Bar Helper.app/…"
// → "Foo"), else the file's name ("/usr/local/bin/tool" → "tool"). The bundle's own path is set in
// `bundle` when there is one.
std::string AppFromPath(std::string_view path, std::string* bundle = nullptr);

// A helper's name folded into its app's: "MyApp Helper (GPU)" → "MyApp", "Foo.app" → "Foo".
std::string BaseAppName(std::string_view name);

// Whether `name` stands for an app without naming one: "XXX.app", "the app", 应用 ("application")
// in a retyped dialog. Such a capture identifies no app.
bool IsPlaceholderAppName(std::string_view name);

// Whether `process` is a part of macOS that logs about other apps (kernel, amfid, syspolicyd,
// tccd, …) rather than an app: its log lines name no app unless they say which.
bool IsSystemProcess(std::string_view process, std::string_view process_path = {});

// The app a collector bundle's manifest.json describes (name, bundle ID, path, executable), or
// nothing when `json` is not such a manifest (tediag/report.h kBundleSchema).
std::optional<AppNames> ManifestApp(std::string_view json);

class AppResolver {
 public:
  // Names known to belong to one app (a manifest's app).
  void AddKnown(AppNames names);
  // The names of one hit; returns a handle for Resolve's answer. Identical name sets share one.
  size_t Add(const AppNames& names);

  // Joins the name sets; `apps` receives one identity per app, in order of first appearance, and
  // the result gives for each handle its index in `apps` (nothing for a hit that named no app).
  std::vector<std::optional<size_t>> Resolve(std::vector<AppIdentity>& apps);

 private:
  size_t Find(size_t x);
  void Unite(size_t a, size_t b);

  std::vector<AppNames> sets_;  // handles, then known sets
  std::vector<bool> known_;
  std::vector<size_t> parent_;
  absl::flat_hash_map<std::string, size_t> by_signature_;  // identical sets → one handle
};

}  // namespace tediag
