#include "diagnose/diagnosis.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "util/text_util.h"

namespace tediag {
namespace {

bool Refines(const Rule& specific, const Rule& generic) {
  if (&specific == &generic) return false;
  for (const std::string& target : specific.refines) {
    if (target == generic.id || target == generic.class_slug) return true;
  }
  return false;
}

int EvidenceKinds(const Finding& f) {
  bool log = false, crash = false;
  for (const Evidence& e : f.evidence) (e.kind == RecordKind::kLogEvent ? log : crash) = true;
  return int{log} + int{crash};
}

bool SameRecord(const Evidence& a, const Evidence& b) { return a.input == b.input && a.record_line == b.record_line; }

// True when every piece of `generic`'s evidence is also `specific`'s: it adds nothing.
bool Subsumed(const Finding& generic, const Finding& specific) {
  if (generic.hits > specific.hits) return false;
  for (const Evidence& e : generic.evidence) {
    bool found = false;
    for (const Evidence& s : specific.evidence) found = found || SameRecord(e, s);
    if (!found) return false;
  }
  return true;
}

bool SharesInput(const Finding& a, const Finding& b) {
  for (const Evidence& x : a.evidence) {
    for (const Evidence& y : b.evidence) {
      if (x.input == y.input) return true;
    }
  }
  return false;
}

// Findings about one app, or (no app) from one input or crash report.
bool SameGroup(const Finding& a, const Finding& b) { return a.app ? a.app == b.app : !b.app && a.scope == b.scope; }

std::string ClassWords(std::string_view slug) { return ReplaceAll(slug, "-", " "); }

// Supersession within a group: a finding whose rule refines another's rule or class supersedes
// it; one that only repeats the specific finding's evidence is dropped. Returns, for each finding
// kept, how many it refined.
std::vector<int> Supersede(std::vector<Finding>& all) {
  std::vector<int> refines_count(all.size(), 0);
  std::vector<bool> drop(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      if (i == j || !SameGroup(all[i], all[j])) continue;
      if (!Refines(*all[i].rule, *all[j].rule) || Refines(*all[j].rule, *all[i].rule)) continue;
      if (all[j].superseded_by.empty()) all[j].superseded_by = all[i].rule->id;
      if (Subsumed(all[j], all[i])) {
        drop[j] = true;  // said nothing the specific finding does not say: no separate evidence
      } else {
        ++refines_count[i];
      }
    }
  }
  std::vector<Finding> kept;
  std::vector<int> refined;
  for (size_t i = 0; i < all.size(); ++i) {
    if (drop[i]) continue;
    kept.push_back(std::move(all[i]));
    refined.push_back(refines_count[i]);
  }
  all = std::move(kept);
  return refined;
}

// A hit of a rule by a line that names no app, beside the same rule's finding for exactly one
// app in the same input, is shown with that finding as unattributed evidence (neither counted
// nor raising its confidence) rather than as a failure of its own.
void AttachUnattributed(std::vector<Finding>& all) {
  std::vector<bool> drop(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].app) continue;
    std::optional<size_t> owner;
    bool ambiguous = false;
    for (size_t j = 0; j < all.size(); ++j) {
      if (!all[j].app || all[j].rule != all[i].rule || !SharesInput(all[i], all[j])) continue;
      ambiguous |= owner.has_value();
      owner = j;
    }
    if (!owner || ambiguous) continue;
    Finding& into = all[*owner];
    for (Evidence& e : all[i].evidence) {
      if (into.unattributed.size() < kMaxEvidence) into.unattributed.push_back(std::move(e));
    }
    into.unattributed_hits += all[i].hits;
    drop[i] = true;
  }
  std::vector<Finding> kept;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(all[i]));
  }
  all = std::move(kept);
}

struct Ranking {
  const std::vector<Finding>& findings;
  const std::vector<int>& refined;
  std::vector<bool> outranked;  // an error finding of its group or its input refines it: a symptom
  bool focused;

  // Is finding a a better root cause than b?
  bool Better(size_t a, size_t b) const {
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    if (focused && x.about_focus != y.about_focus) return x.about_focus;
    if (outranked[a] != outranked[b]) return !outranked[a];
    if ((refined[a] > 0) != (refined[b] > 0)) return refined[a] > 0;
    if (x.app_identified != y.app_identified) return x.app_identified;
    if (EvidenceKinds(x) != EvidenceKinds(y)) return EvidenceKinds(x) > EvidenceKinds(y);
    if (x.hits != y.hits) return x.hits > y.hits;
    return a < b;
  }
};

// The diagnosis of a group whose root cause is `root`: its confidence and why it was chosen.
Diagnosis Explain(const Report& report, const std::vector<size_t>& members, size_t root, int refined) {
  const Finding& cause = report.findings[root];
  const bool focused = !report.focus_app.empty();
  std::vector<std::string> reasons;
  if (focused && cause.about_focus) reasons.push_back(StrCat("it concerns ", report.focus_app));
  if (!cause.app) {
    reasons.push_back(focused ? StrCat("its evidence does not name the app (", report.focus_app, " may be the one)")
                              : "its evidence does not name the app");
  }
  if (refined > 0) reasons.push_back("it explains another finding for the same app");
  if (EvidenceKinds(cause) > 1) reasons.push_back("both the log and a crash report show it");
  reasons.push_back(StrCat(cause.hits, cause.hits == 1 ? " record shows it" : " records show it"));
  size_t corroborating = 0;
  for (size_t i : members) corroborating += i != root && report.findings[i].rule->class_slug == cause.rule->class_slug;
  if (corroborating > 0) {
    reasons.push_back(StrCat(corroborating, " other finding", corroborating == 1 ? "" : "s", " of the same class ",
                             corroborating == 1 ? "agrees" : "agree"));
  }
  Diagnosis diagnosis;
  diagnosis.app = cause.app;
  diagnosis.finding = root;
  if (!cause.app) {  // evidence that names no app never raises confidence
    diagnosis.confidence = focused ? Confidence::kLow : Confidence::kMedium;
  } else if (refined > 0 || cause.hits >= 2 || corroborating > 0 || EvidenceKinds(cause) > 1) {
    diagnosis.confidence = Confidence::kHigh;
  } else {
    diagnosis.confidence = Confidence::kMedium;
  }
  diagnosis.why = StrCat("Chosen because ", Join(reasons, "; "), ".");
  return diagnosis;
}

// "Nothing could be read: a.log: no such file; b.bin: binary file" when no input gave a record.
std::string NothingReadHeadline(const Report& report) {
  std::vector<std::string> why;
  for (const InputSummary& input : report.inputs) {
    if (why.size() == 3) {
      why.push_back(StrCat("and ", report.inputs.size() - 3, " more"));
      break;
    }
    why.push_back(input.errors.empty() ? StrCat(input.path, ": no record")
                                       : StrCat(input.path, ": ", input.errors.front().message));
  }
  if (why.empty()) why.push_back("no input file was found");
  return StrCat("Nothing could be read: ", Join(why, "; "), ".");
}

// "quarantine block, 2 × code signature invalid": each class once, in order, with its count.
std::string CountedList(const std::vector<std::string>& items) {
  std::vector<std::string> distinct;
  std::vector<size_t> counts;
  for (const std::string& item : items) {
    auto it = std::find(distinct.begin(), distinct.end(), item);
    if (it == distinct.end()) {
      distinct.push_back(item);
      counts.push_back(1);
    } else {
      ++counts[static_cast<size_t>(it - distinct.begin())];
    }
  }
  std::vector<std::string> parts;
  for (size_t i = 0; i < distinct.size(); ++i) {
    parts.push_back(counts[i] == 1 ? distinct[i] : StrCat(counts[i], " × ", distinct[i]));
  }
  return Join(parts, ", ");
}

std::string AppList(const Report& report) {
  std::vector<std::string_view> names;
  for (const AppIdentity& app : report.apps) names.push_back(app.name);
  return names.empty() ? std::string("no app was named by the evidence") : StrCat("apps seen: ", Join(names, ", "));
}

std::string Headline(const Report& report, bool focus_found) {
  if (report.nothing_read) return NothingReadHeadline(report);
  const bool focused = !report.focus_app.empty();
  std::vector<std::string> named, unnamed;
  std::vector<bool> diagnosed(report.apps.size(), false);
  for (const Diagnosis& d : report.diagnoses) {
    std::string what = ClassWords(report.findings[d.finding].rule->class_slug);
    if (d.app) {
      diagnosed[*d.app] = true;
      named.push_back(StrCat(report.apps[*d.app].name, " (", what, ")"));
    } else {
      unnamed.push_back(what);
    }
  }
  if (focused && !focus_found) {
    std::string head = StrCat("Nothing here concerns ", report.focus_app);
    if (!unnamed.empty()) {
      StrAppend(head, " by name; ", unnamed.size(), unnamed.size() == 1 ? " failure" : " failures",
                " whose evidence names no app may (", CountedList(unnamed), ")");
    }
    return StrCat(head, "; ", AppList(report), ".");
  }
  if (named.empty() && unnamed.empty()) return "No trusted-execution failure found.";
  std::vector<std::string> parts;
  if (!named.empty()) {
    parts.push_back(StrCat(
        named.size(),
        named.size() == 1 ? " app with a trusted-execution failure: " : " apps with trusted-execution failures: ",
        Join(named, ", ")));
  }
  if (!unnamed.empty()) {
    parts.push_back(StrCat(unnamed.size(), unnamed.size() == 1 ? " failure" : " failures",
                           " whose evidence names no app (", CountedList(unnamed), ")"));
  }
  size_t without = static_cast<size_t>(std::count(diagnosed.begin(), diagnosed.end(), false));
  if (!focused && without > 0) parts.push_back(StrCat(without, without == 1 ? " app without" : " apps without"));
  return StrCat(Join(parts, "; "), ".");
}

bool NothingRead(const Report& report) {
  for (const InputSummary& input : report.inputs) {
    if (input.records > 0) return false;
  }
  return true;
}

}  // namespace

std::string_view ConfidenceName(Confidence confidence) {
  switch (confidence) {
    case Confidence::kHigh: return "high";
    case Confidence::kMedium: return "medium";
    case Confidence::kLow: break;
  }
  return "low";
}

void Diagnose(Report& report) {
  report.diagnoses.clear();
  report.nothing_read = NothingRead(report);
  std::vector<Finding>& findings = report.findings;
  AttachUnattributed(findings);
  std::vector<int> refined = Supersede(findings);
  const bool focused = !report.focus_app.empty();
  Ranking rank{findings, refined, std::vector<bool>(findings.size(), false), focused};
  for (size_t i = 0; i < findings.size(); ++i) {
    for (size_t j = 0; j < findings.size(); ++j) {
      // By a finding of its group, or by one of its input that names no app ("Malware Blocked and
      // Moved to Trash" under the app's "was not opened" dialog); another app's never.
      bool related = SameGroup(findings[i], findings[j]) || (!findings[j].app && SharesInput(findings[i], findings[j]));
      if (i != j && related && findings[j].rule->severity == Severity::kError &&
          Refines(*findings[j].rule, *findings[i].rule)) {
        rank.outranked[i] = true;
      }
    }
  }

  // The groups, in order of first finding, and each group's root cause.
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < findings.size(); ++i) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return SameGroup(findings[g[0]], findings[i]); });
    if (it == groups.end()) {
      groups.push_back({i});
    } else {
      it->push_back(i);
    }
  }
  bool focus_found = false;
  for (const Finding& f : findings) focus_found |= f.about_focus && f.app;
  std::vector<bool> keep(findings.size(), !focused);                 // with --app: only what may concern it
  std::vector<std::pair<size_t, const std::vector<size_t>*>> roots;  // (root, group)
  for (const std::vector<size_t>& group : groups) {
    bool about = std::any_of(group.begin(), group.end(), [&](size_t i) { return findings[i].about_focus; });
    if (focused && (about || !findings[group[0]].app)) {
      for (size_t i : group) keep[i] = true;
    }
    if (!keep[group[0]]) continue;
    std::optional<size_t> root;
    for (size_t i : group) {
      if (findings[i].rule->severity != Severity::kError || !findings[i].superseded_by.empty()) continue;
      if (!root || rank.Better(i, *root)) root = i;
    }
    if (root) roots.emplace_back(*root, &group);
  }
  // A failure seen only by lines that do not name the app, beside an app's diagnosis of that
  // failure from the same input, is that diagnosis's evidence from another angle: no diagnosis of its own.
  std::erase_if(roots, [&](const auto& r) {
    const Finding& f = findings[r.first];
    if (f.app) return false;
    return std::any_of(roots.begin(), roots.end(), [&](const auto& other) {
      const Finding& g = findings[other.first];
      return g.app && SharesInput(f, g) && (g.rule->class_slug == f.rule->class_slug || Refines(*g.rule, *f.rule));
    });
  });
  std::stable_sort(roots.begin(), roots.end(),
                   [&](const auto& a, const auto& b) { return rank.Better(a.first, b.first); });

  // Findings in report order: each diagnosis's root cause and contributing findings, then the others.
  auto worst_first = [&](size_t a, size_t b) {
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    if (x.rule->severity != y.rule->severity) return x.rule->severity > y.rule->severity;
    std::string_view xa = AppName(report, x.app), ya = AppName(report, y.app);
    if (xa != ya) return xa < ya;
    if (x.rule->class_slug != y.rule->class_slug) return x.rule->class_slug < y.rule->class_slug;
    return x.rule->id < y.rule->id;
  };
  std::vector<size_t> order;
  std::vector<bool> placed(findings.size(), false);
  std::vector<Diagnosis> diagnoses;
  for (const auto& [root, group] : roots) {
    Diagnosis d = Explain(report, *group, root, refined[root]);
    std::vector<size_t> rest;
    for (size_t i : *group) {
      if (i != root) rest.push_back(i);
    }
    std::stable_sort(rest.begin(), rest.end(), worst_first);
    d.finding = order.size();
    order.push_back(root);
    placed[root] = true;
    for (size_t i : rest) {
      d.contributing.push_back(order.size());
      order.push_back(i);
      placed[i] = true;
    }
    diagnoses.push_back(std::move(d));
  }
  std::vector<size_t> others;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (keep[i] && !placed[i]) others.push_back(i);
  }
  std::stable_sort(others.begin(), others.end(), worst_first);
  order.insert(order.end(), others.begin(), others.end());

  std::vector<Finding> sorted;
  for (size_t i : order) {
    sorted.push_back(std::move(findings[i]));
    sorted.back().id = StrCat("F", sorted.size());
  }
  findings = std::move(sorted);
  report.diagnoses = std::move(diagnoses);
  report.focus_found = !focused || focus_found;
  report.headline = Headline(report, focus_found);
}

}  // namespace tediag
