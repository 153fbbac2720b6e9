#include "diagnose/diagnosis.h"

#include <algorithm>
#include <numeric>

#include "util/text_util.h"

namespace tediag {
namespace {

bool SameApp(const Finding& a, const Finding& b) {
  for (const std::string& x : a.app_keys) {
    for (const std::string& y : b.app_keys) {
      if (EqualsIgnoreCase(x, y)) return true;
    }
  }
  return false;
}

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

// The diagnosis for the root cause `findings[root]`: its confidence and why it was chosen.
Diagnosis Explain(const std::vector<Finding>& findings, size_t root, int refined, const std::string& focus_app) {
  const Finding& cause = findings[root];
  bool focused = !focus_app.empty();
  std::vector<std::string> reasons;
  if (focused && cause.about_focus) reasons.push_back(StrCat("it concerns ", focus_app));
  if (focused && !cause.about_focus) {
    reasons.push_back(cause.app_identified
                          ? StrCat("no error finding concerns ", focus_app)
                          : StrCat("its log line does not name the app (", focus_app, " may be the one)"));
  }
  if (refined > 0) reasons.push_back("it explains another finding for the same app");
  if (EvidenceKinds(cause) > 1) reasons.push_back("both the log and a crash report show it");
  reasons.push_back(StrCat(cause.hits, cause.hits == 1 ? " record shows it" : " records show it"));
  size_t corroborating = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (i != root && findings[i].rule->class_slug == cause.rule->class_slug && SameApp(findings[i], cause)) {
      ++corroborating;
    }
  }
  if (corroborating > 0) {
    reasons.push_back(StrCat(corroborating, " other finding", corroborating == 1 ? "" : "s", " of the same class ",
                             corroborating == 1 ? "agrees" : "agree"));
  }

  Diagnosis diagnosis;
  diagnosis.finding = 0;  // the root cause is placed first
  if (focused && !cause.about_focus && cause.app_identified) {
    diagnosis.confidence = Confidence::kLow;
  } else if (refined > 0 || cause.hits >= 2 || corroborating > 0 || EvidenceKinds(cause) > 1) {
    diagnosis.confidence = Confidence::kHigh;
  } else {
    diagnosis.confidence = Confidence::kMedium;
  }
  diagnosis.why = StrCat("Chosen because ", Join(reasons, "; "), ".");
  return diagnosis;
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
  report.diagnosis.reset();
  // Supersession: a finding whose rule refines another finding's rule or class, for the same
  // app, supersedes it. A superseded finding that only repeats the other's evidence is dropped.
  std::vector<Finding>& all = report.findings;
  std::vector<int> refines_count(all.size(), 0);
  std::vector<bool> drop(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      if (i == j || !SameApp(all[i], all[j])) continue;
      if (!Refines(*all[i].rule, *all[j].rule) || Refines(*all[j].rule, *all[i].rule)) continue;
      if (all[j].superseded_by.empty()) all[j].superseded_by = all[i].rule->id;
      if (Subsumed(all[j], all[i])) {
        drop[j] = true;  // said nothing the specific finding does not say: no separate evidence
      } else {
        ++refines_count[i];
      }
    }
  }
  std::vector<Finding> findings;
  std::vector<int> refined_count;
  for (size_t i = 0; i < all.size(); ++i) {
    if (drop[i]) continue;
    findings.push_back(std::move(all[i]));
    refined_count.push_back(refines_count[i]);
  }

  // A finding that another error finding refines (whatever its app) is a symptom of that
  // more specific cause: "killed" below "Gatekeeper refused it" below "no provisioning profile".
  std::vector<bool> outranked(findings.size(), false);
  for (size_t i = 0; i < findings.size(); ++i) {
    for (size_t j = 0; j < findings.size(); ++j) {
      if (i != j && findings[j].rule->severity == Severity::kError && Refines(*findings[j].rule, *findings[i].rule)) {
        outranked[i] = true;
      }
    }
  }

  bool focused = !report.focus_app.empty();
  auto better = [&](size_t a, size_t b) {  // is finding a a better root cause than b?
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    if (focused && x.about_focus != y.about_focus) return x.about_focus;
    if (outranked[a] != outranked[b]) return !outranked[a];
    if ((refined_count[a] > 0) != (refined_count[b] > 0)) return refined_count[a] > 0;
    if (x.app_identified != y.app_identified) return x.app_identified;
    if (EvidenceKinds(x) != EvidenceKinds(y)) return EvidenceKinds(x) > EvidenceKinds(y);
    if (x.hits != y.hits) return x.hits > y.hits;
    return a < b;
  };
  std::optional<size_t> root;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].rule->severity != Severity::kError || !findings[i].superseded_by.empty()) continue;
    if (!root || better(i, *root)) root = i;
  }
  if (root) report.diagnosis = Explain(findings, *root, refined_count[*root], report.focus_app);

  // Order: root cause, then by severity (worst first), app, class, rule.
  std::vector<size_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (root && (a == *root || b == *root)) return a == *root && b != *root;
    const Finding& x = findings[a];
    const Finding& y = findings[b];
    if (x.rule->severity != y.rule->severity) return x.rule->severity > y.rule->severity;
    if (x.app != y.app) return x.app < y.app;
    if (x.rule->class_slug != y.rule->class_slug) return x.rule->class_slug < y.rule->class_slug;
    return x.rule->id < y.rule->id;
  });
  report.findings.clear();
  for (size_t i : order) report.findings.push_back(std::move(findings[i]));
}

}  // namespace tediag
