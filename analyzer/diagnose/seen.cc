#include "diagnose/seen.h"

#include <algorithm>
#include <array>

#include "util/text_util.h"

namespace tediag {
namespace {

bool HasWord(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (EqualsIgnoreCase(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

// A test on one field of a crash report: it holds one of `words` (ASCII case ignored), or, with
// `absent`, none of them. Unused words are empty.
struct Test {
  Field field = Field::kCount;  // kCount: no test
  std::array<std::string_view, 5> words{};
  bool absent = false;

  bool Holds(const Record& crash) const {
    if (field == Field::kCount) return true;
    std::string_view value = crash.Get(field);
    bool any =
        std::any_of(words.begin(), words.end(), [&](std::string_view w) { return !w.empty() && HasWord(value, w); });
    return absent ? !any : any;
  }
};

// One reading of a crash report: when every test holds, it is `kind`, and `says` tells what that
// is and why it is, or is not, a trusted-execution failure; `next` is what to look at next.
struct CrashReading {
  std::string_view kind;
  std::array<Test, 3> tests;
  std::string_view says;
  std::string_view next;
};

constexpr Test Absent(Field field, std::array<std::string_view, 5> words) { return {field, words, true}; }

// First match wins: the machinery's own namespaces first (a kill no rule explains must not be
// called ordinary), then dyld's reasons, then the kinds of ordinary crash.
constexpr CrashReading kCrashReadings[] = {
    {"codesigning-unexplained",
     {{{Field::kTerminationNamespace, {"CODESIGNING"}}}},
     "The system's code-signing check ended it (termination namespace CODESIGNING), but no rule explains this "
     "code: it is a trusted-execution failure that tediag cannot name yet.",
     "Run `codesign --verify --deep --strict -vvv` on the app and compare the termination code with Apple's "
     "\"Resolving Code Signing Crashes on Launch\"."},
    {"signature-unexplained",
     {{{Field::kSignal, {"Code Signature"}}}},
     "The kernel killed it for its code signature (Code Signature Invalid), but no rule explains the rest of the "
     "report: it is a trusted-execution failure that tediag cannot name yet.",
     "Run `codesign --verify --deep --strict -vvv` on the app."},
    {"tcc-unexplained",
     {{{Field::kTerminationNamespace, {"TCC"}}}},
     "Privacy consent (TCC) ended it, but no rule explains the report: the app may lack a usage description "
     "or the consent it needs.",
     "Look for the service in the termination details, and for `tccd` lines in the log of the launch."},
    {"library-refused-unexplained",
     {{{Field::kTerminationDetails,
        {"code signature", "not valid for use in process", "different Team IDs", "library load disallowed"}}}},
     "dyld refused a library for its signature, but no rule explains the message: it is probably library "
     "validation.",
     "Run `codesign -dvvv` on the library dyld names and on the app, and compare their Team IDs."},
    {"missing-library",
     {{{Field::kTerminationDetails, {"Library not loaded", "image not found", "Library missing"}}}},
     "dyld could not load a library the program links because the file is not where it looks (no such file). "
     "That is a missing or misplaced library, not library validation, which refuses a library that is there.",
     "Check the paths dyld tried (in the message) and the program's load commands with `otool -L`; reinstall "
     "the library or fix its install name."},
    {"missing-library",
     {{{Field::kTerminationIndicator, {"Library missing"}}}},
     "dyld could not find a library the program links. That is a missing library, not library validation.",
     "Check the program's load commands with `otool -L` and reinstall the library it names."},
    {"missing-symbol",
     {{{Field::kTerminationDetails, {"Symbol not found", "symbol missing"}}}},
     "dyld could not find a symbol the program needs in a library: it was built for a newer macOS or against "
     "another version of the library. That is a build or version mismatch, not code signing.",
     "Compare the program's minimum macOS version with the Mac's, and the library's version with the one it "
     "was built against."},
    {"wrong-architecture",
     {{{Field::kTerminationDetails,
        {"incompatible architecture", "wrong architecture", "mach-o file, but is an incompatible"}}}},
     "dyld found a library built for another architecture. That is a build mismatch, not code signing.",
     "Check the library's architectures with `lipo -archs` and install the build for this Mac."},
    {"swift-trap",
     {{{Field::kExceptionType, {"EXC_BREAKPOINT", "EXC_BAD_INSTRUCTION"}},
       {Field::kFrames, {"libswiftCore", "swift_", "Swift runtime failure", "_assertionFailure", "fatalError"}}}},
     "That is a Swift runtime trap in the program's own code (a failed force-unwrap, precondition or array "
     "index), an ordinary crash, not a trusted-execution failure.",
     "The crashed thread's frames show where the program trapped; report it to the app's developer."},
    {"swift-trap",
     {{{Field::kExceptionType, {"EXC_BREAKPOINT", "EXC_BAD_INSTRUCTION"}},
       {Field::kAppSpecific,
        {"Fatal error", "Unexpectedly found nil", "Swift runtime failure", "Precondition failed"}}}},
     "That is a Swift runtime trap in the program's own code (a failed force-unwrap, precondition or array "
     "index), an ordinary crash, not a trusted-execution failure.",
     "The Application Specific Information names the Swift file and line; report it to the app's developer."},
    {"uncaught-exception",
     {{{Field::kExceptionType, {"EXC_BREAKPOINT", "EXC_CRASH"}},
       {Field::kFrames, {"objc_exception_throw", "__cxa_throw", "_objc_terminate", "objc_exception_rethrow"}}}},
     "The program stopped on an exception it did not catch, an ordinary crash, not a trusted-execution failure.",
     "The Last Exception Backtrace or the crashed thread shows where it was thrown; report it to the app's "
     "developer."},
    {"uncaught-exception",
     {{{Field::kSignal, {"SIGABRT"}},
       {Field::kAppSpecific, {"uncaught exception", "Terminating app due to", "terminating with uncaught"}}}},
     "The program aborted on an exception it did not catch, an ordinary crash, not a trusted-execution failure.",
     "The Application Specific Information names the exception; report it to the app's developer."},
    {"uncaught-exception",
     {{{Field::kSignal, {"SIGABRT"}}, {Field::kFrames, {"objc_exception_throw", "__cxa_throw", "_objc_terminate"}}}},
     "The program aborted on an exception it did not catch, an ordinary crash, not a trusted-execution failure.",
     "The Last Exception Backtrace or the crashed thread shows where it was thrown; report it to the app's "
     "developer."},
    {"abort",
     {{{Field::kSignal, {"SIGABRT"}}}},
     "The program called abort() itself (an assertion or a fatal error it detected), an ordinary crash, not a "
     "trusted-execution failure.",
     "The Application Specific Information and the crashed thread say what failed; report it to the app's "
     "developer."},
    {"bad-access",
     {{{Field::kExceptionType, {"EXC_BAD_ACCESS"}}, Absent(Field::kSignal, {"SIGKILL"})}},
     "That is a bad memory access in the program (a null, freed or stray pointer), an ordinary crash, not a "
     "trusted-execution failure.",
     "The crashed thread's frames show where; report it to the app's developer."},
    {"bad-access",
     {{{Field::kSignal, {"SIGSEGV", "SIGBUS"}}}},
     "That is a bad memory access in the program, an ordinary crash, not a trusted-execution failure.",
     "The crashed thread's frames show where; report it to the app's developer."},
    {"bad-access",
     {{{Field::kExceptionType, {"SIGSEGV", "SIGBUS"}}}},
     "That is a bad memory access in the program, an ordinary crash, not a trusted-execution failure.",
     "The crashed thread's frames show where; report it to the app's developer."},
    {"trap",
     {{{Field::kExceptionType, {"EXC_BREAKPOINT"}}}},
     "That is a trap instruction in the program (a runtime check of Swift, Rust or the C library, or "
     "__builtin_trap), an ordinary crash, not a trusted-execution failure.",
     "The crashed thread's frames show which check failed; report it to the app's developer."},
    {"illegal-instruction",
     {{{Field::kExceptionType, {"EXC_BAD_INSTRUCTION"}}}},
     "That is an illegal instruction (a compiler trap, or a CPU feature this Mac lacks), an ordinary crash, not "
     "a trusted-execution failure.",
     "The crashed thread's frames show where; check the app supports this Mac's processor."},
    {"guard",
     {{{Field::kExceptionType, {"EXC_GUARD"}}}},
     "That is a guarded-resource violation (a file descriptor or Mach port misused), a bug in the program, not "
     "a trusted-execution failure.",
     "The exception subtype names the resource; report it to the app's developer."},
    {"resource",
     {{{Field::kExceptionType, {"EXC_RESOURCE"}}}},
     "The system ended it for using too much of a resource (memory, CPU, wake-ups), not for trust reasons.",
     "The exception subtype names the limit."},
    {"resource",
     {{{Field::kTerminationNamespace, {"JETSAM", "MEMORYSTATUS"}}}},
     "The system ended it for memory pressure, not for trust reasons.",
     ""},
    {"watchdog",
     {{{Field::kTerminationNamespace, {"WATCHDOG", "FRONTBOARD", "RUNNINGBOARD", "SPRINGBOARD"}}}},
     "The system ended it because it did not respond or launch in time, not for trust reasons.",
     "The crashed thread's frames show what it was doing."},
    {"other", {{}}, "Nothing in it names code signing, Gatekeeper, the App Sandbox or privacy consent.", ""},
};

bool IsLogFormat(InputFormat f) {
  return f == InputFormat::kNdjson || f == InputFormat::kJson || f == InputFormat::kDefault ||
         f == InputFormat::kCompact || f == InputFormat::kSyslog;
}

// What to collect next, by what the inputs lack.
struct NextStep {
  enum class Lacks : uint8_t { kCrash, kLog, kCodesign, kSpctl } lacks;
  std::string_view step;
};

constexpr NextStep kNextSteps[] = {
    {NextStep::Lacks::kCrash,
     "The crash report, if the app quits at launch: `~/Library/Logs/DiagnosticReports/APP-*.ips` (Console, Crash "
     "Reports)"},
    {NextStep::Lacks::kLog,
     "The log of one launch, right after the app fails to open: `log show --last 5m --info --style ndjson "
     "--predicate 'process == \"kernel\" OR process == \"amfid\" OR process == \"syspolicyd\" OR process == "
     "\"tccd\" OR process == \"taskgated\" OR subsystem == \"com.apple.TCC\"' > launch.ndjson` (or `tediag "
     "collect --app APP`, which records it)"},
    {NextStep::Lacks::kCodesign,
     "The signature: `codesign --verify --deep --strict -vvv /path/to/APP.app` and `codesign -dvvv "
     "--entitlements - /path/to/APP.app`"},
    {NextStep::Lacks::kSpctl, "Gatekeeper's verdict: `spctl --assess -vvv --type execute /path/to/APP.app`"},
};

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return StrCat(n, " ", n == 1 ? one : many);
}

std::string CrashSentence(const SeenCrash& c) {
  std::string out = StrCat("The crash report of ", c.process.empty() ? "a process" : c.process, " (", c.input, ":",
                           c.line, ") shows ");
  std::vector<std::string> parts;
  if (!c.exception_type.empty() || !c.signal.empty()) {
    parts.push_back(StrCat(c.exception_type.empty() ? c.signal : c.exception_type,
                           !c.exception_type.empty() && !c.signal.empty() ? StrCat(" (", c.signal, ")") : "",
                           c.exception_subtype.empty() ? "" : " ", c.exception_subtype));
  }
  if (!c.termination.empty()) parts.push_back(StrCat("termination ", c.termination));
  if (!c.dyld.empty()) parts.push_back(StrCat("dyld's message \"", c.dyld, "\""));
  if (!c.top_frame.empty()) parts.push_back(StrCat("the crashed thread stopped in ", c.top_frame));
  if (parts.empty()) parts.push_back("no exception or termination reason");
  StrAppend(out, Join(parts, ", "), ". ", c.reading);
  return out;
}

}  // namespace

SeenCrash DescribeCrash(const Record& crash) {
  SeenCrash seen;
  seen.process = Printable(crash.Get(Field::kProcess));
  seen.exception_type = Printable(crash.Get(Field::kExceptionType));
  seen.signal = Printable(crash.Get(Field::kSignal));
  std::vector<std::string_view> termination;
  for (Field f : {Field::kTerminationNamespace, Field::kTerminationCode, Field::kTerminationIndicator}) {
    if (!crash.Get(f).empty()) termination.push_back(crash.Get(f));
  }
  seen.termination = Printable(Join(termination, " "));
  std::vector<std::string_view> details = Split(crash.Get(Field::kTerminationDetails), '\n', /*skip_empty=*/true);
  if (details.size() > 3) details.resize(3);
  std::string dyld = Join(details, " ");
  if (dyld.size() > 400) dyld = StrCat(dyld.substr(0, 400), "…");
  seen.dyld = Printable(dyld);
  // Where the crashed thread stopped: the first frame with an image, and whether it is the program's own.
  for (std::string_view frame : Split(crash.Get(Field::kFrames), '\n', /*skip_empty=*/true)) {
    std::string_view image = frame.substr(0, frame.find(' '));
    if (image == "???") continue;
    std::string_view symbol = frame.size() > image.size() ? frame.substr(image.size() + 1) : std::string_view{};
    std::string_view path = crash.Get(Field::kProcessPath);
    bool own = image == crash.Get(Field::kProcess) || (!path.empty() && path.ends_with(StrCat("/", image)));
    seen.top_frame =
        Printable(StrCat(own ? "the program's own code (" : "", image,
                         symbol.empty() || symbol == "???" ? "" : StrCat(", ", symbol.substr(0, 120)), own ? ")" : ""));
    break;
  }
  std::string_view subtype = crash.Get(Field::kExceptionSubtype);
  seen.exception_subtype = Printable(subtype.substr(0, 120));
  std::string_view asi = crash.Get(Field::kAppSpecific);
  seen.app_specific = Printable(asi.substr(0, std::min<size_t>(asi.find('\n'), 300)));
  for (const CrashReading& reading : kCrashReadings) {
    if (!std::all_of(reading.tests.begin(), reading.tests.end(), [&](const Test& t) { return t.Holds(crash); }))
      continue;
    seen.kind = std::string(reading.kind);
    seen.reading = std::string(reading.says);
    seen.next = std::string(reading.next);
    break;
  }
  return seen;
}

void DescribeSeen(Report& report) {
  Seen& seen = report.seen;
  seen.summary.clear();
  seen.next.clear();
  if (!report.diagnoses.empty()) return;

  bool crash = false, log = false, codesign = false, spctl = false;
  uint64_t log_records = 0, records = 0;
  for (const InputSummary& input : report.inputs) {
    records += input.records;
    for (InputFormat f : input.formats) {
      crash |= f == InputFormat::kIps || f == InputFormat::kCrash;
      log |= IsLogFormat(f);
      codesign |= f == InputFormat::kCodesign;
      spctl |= f == InputFormat::kSpctl || f == InputFormat::kSyspolicyCheck;
    }
    if (IsLogFormat(input.format)) log_records += input.records;
  }
  crash |= seen.crashes_total > 0;

  std::vector<std::string> sentences;
  std::string read =
      StrCat("Read ", Plural(report.inputs.size(), "input", "inputs"), " (", Plural(records, "record", "records"));
  if (log_records > 0) StrAppend(read, ", ", Plural(log_records, "log entry", "log entries"));
  if (seen.crashes_total > 0) StrAppend(read, ", ", Plural(seen.crashes_total, "crash report", "crash reports"));
  StrAppend(read, ").");
  sentences.push_back(std::move(read));
  for (const SeenCrash& c : seen.crashes) {
    if (c.kind != "matched") sentences.push_back(CrashSentence(c));
  }
  if (seen.crashes_total > seen.crashes.size()) {
    sentences.push_back(
        StrCat("(", seen.crashes_total - seen.crashes.size(), " more crash reports are not described.)"));
  }
  size_t notes = report.findings.size();
  if (notes > 0) {
    sentences.push_back(StrCat(Plural(notes, "finding is", "findings are"),
                               " only a warning or a note, listed below; none shows a launch being stopped."));
  }
  if (report.unexplained_total > 0) {
    sentences.push_back(StrCat(Plural(report.unexplained_total, "line mentions", "lines mention"),
                               " code signing, dyld, Gatekeeper, privacy consent or the sandbox but no rule explains ",
                               report.unexplained_total == 1 ? "it" : "them", " (listed below): read ",
                               report.unexplained_total == 1 ? "it" : "them", " before concluding."));
  } else if (seen.crashes.empty()) {
    sentences.push_back("No line mentions code signing, Gatekeeper, privacy consent or the sandbox.");
  }
  seen.summary = Join(sentences, " ");
  if (!seen.crashes.empty() || report.unexplained_total > 0 || !report.findings.empty()) {
    StrAppend(seen.summary,
              " A trusted-execution failure shows as a kill with a CODESIGNING, TCC or DYLD reason that "
              "names a signature, or as a refusal in the log by amfid, syspolicyd, tccd, taskgated or "
              "the sandbox.");
  }

  for (const SeenCrash& c : seen.crashes) {
    if (!c.next.empty() && std::find(seen.next.begin(), seen.next.end(), c.next) == seen.next.end())
      seen.next.push_back(c.next);
  }
  for (const NextStep& step : kNextSteps) {
    bool have = false;
    switch (step.lacks) {
      case NextStep::Lacks::kCrash: have = crash; break;
      case NextStep::Lacks::kLog: have = log; break;
      case NextStep::Lacks::kCodesign: have = codesign; break;
      case NextStep::Lacks::kSpctl: have = spctl; break;
    }
    if (!have) seen.next.emplace_back(step.step);
  }
}

}  // namespace tediag
