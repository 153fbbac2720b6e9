#include "read/crash_text_reader.h"

#include <algorithm>
#include <charconv>

#include "read/elision.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Splits "Key:   value" where the key starts the line; returns false for other lines.
bool SplitKeyValue(std::string_view line, std::string_view& key, std::string_view& value) {
  if (line.empty() || IsAsciiSpace(line[0])) return false;
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon > 40) return false;
  key = line.substr(0, colon);
  value = StripWhitespace(line.substr(colon + 1));
  return true;
}

// "name [pid]" → name.
std::string_view ProcessName(std::string_view value) {
  size_t bracket = value.rfind(" [");
  return StripWhitespace(bracket == std::string_view::npos ? value : value.substr(0, bracket));
}

int64_t LeadingInt(std::string_view s) {
  int64_t value = -1;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

// A frame line "12  libfoo.dylib   0x00007ff8… symbol + 42 (file.c:10)" → "libfoo.dylib symbol".
// Lines pasted without the address ("1  libfoo.dylib  __pthread_kill + 10") are split on spaces.
bool ParseFrame(std::string_view line, std::string& out) {
  std::string_view rest = StripLeadingWhitespace(line);
  size_t digits = 0;
  while (digits < rest.size() && IsAsciiDigit(rest[digits])) ++digits;
  if (digits == 0 || digits == rest.size() || !IsAsciiSpace(rest[digits])) return false;
  rest = StripLeadingWhitespace(rest.substr(digits));
  std::string_view image, symbol;
  size_t address = rest.find(" 0x");
  if (address == std::string_view::npos) address = rest.find("\t0x");
  if (address != std::string_view::npos) {
    image = StripWhitespace(rest.substr(0, address));
    symbol = rest.substr(address + 3);
    size_t space = symbol.find(' ');
    symbol = space == std::string_view::npos ? std::string_view{} : StripLeadingWhitespace(symbol.substr(space));
  } else {
    size_t space = rest.find_first_of(" \t");
    if (space == std::string_view::npos) return false;
    image = rest.substr(0, space);
    symbol = StripLeadingWhitespace(rest.substr(space));
  }
  size_t offset = symbol.find(" + ");
  if (offset != std::string_view::npos) symbol = symbol.substr(0, offset);
  out.assign(image.empty() ? "???" : image);
  out.push_back(' ');
  out.append(symbol.empty() ? "???" : symbol);
  return true;
}

// The keys a crash report's header and sections use (macOS 10.x to 26, and Console's
// Translated Report), including the hardware lines pasted after it.
constexpr std::string_view kReportKeys[] = {
    "Process",
    "Path",
    "Identifier",
    "Version",
    "Code Type",
    "Parent Process",
    "Responsible",
    "Responsible Process",
    "User ID",
    "Date/Time",
    "Launch Time",
    "End time",
    "OS Version",
    "Report Version",
    "Bridge OS Version",
    "Anonymous UUID",
    "Sleep/Wake UUID",
    "Time Awake Since Boot",
    "Time Since Wake",
    "System Integrity Protection",
    "Crashed Thread",
    "Triggered by Thread",
    "Highlighted by Thread",
    "Exception Type",
    "Exception Subtype",
    "Exception Codes",
    "Exception Note",
    "Exception Message",
    "Exception Reason",
    "Termination Signal",
    "Termination Reason",
    "Terminating Process",
    "Termination Details",
    "Application Specific Information",
    "Application Specific Signatures",
    "Application Specific Backtrace 0",
    "Application Specific Backtrace 1",
    "Last Exception Backtrace",
    "kernel messages",
    "VM Regions Near 0",
    "VM Region Summary",
    "VM Region Info",
    "Binary Images",
    "External Modification Summary",
    "Incident Identifier",
    "CrashReporter Key",
    "Crash Reporter Key",
    "Hardware Model",
    "Role",
    "Coalition",
    "Release Type",
    "Beta Identifier",
    "Code Signing ID",
    "Team ID",
    "Team Identifier",
    "Codesigning ID",
    "Model",
    "Graphics",
    "Display",
    "Memory Module",
    "AirPort",
    "Bluetooth",
    "Network Service",
    "USB Device",
    "Thunderbolt Bus",
    "PCI Card",
    "Serial ATA Device",
    "Sleep/Wake",
    "Writable regions",
    "ReadOnly portion of Libraries",
    "Logical CPU",
    "Error Code",
    "Trap Number",
    "Full Report",
    "Translated Report (Full Report Below)",
    "Error Formulating Crash Report",
    "Dyld Error Message",
    "Dyld Version",
    "Library not loaded",
    "Reason",
    "Referenced from",
};

bool IsReportKey(std::string_view key) {
  if (key.starts_with("VM Regions Near") || key.starts_with("Application Specific Backtrace")) return true;
  return std::find(std::begin(kReportKeys), std::end(kReportKeys), key) != std::end(kReportKeys);
}

}  // namespace

namespace {

// What a header line says about where a crash report starts, from its key and value.
enum class ReportStart : uint8_t { kNo, kFragment, kWhole };

ReportStart StartOf(std::string_view line) {
  if (line.starts_with("Translated Report")) return ReportStart::kWhole;
  std::string_view key, value;
  if (!SplitKeyValue(line, key, value)) return ReportStart::kNo;
  if (key == "Incident Identifier" || key == "Exception Type") return ReportStart::kWhole;
  // "Process: Foo [123]" opens a report; the word alone, in prose, does not.
  if (key == "Process") return value.ends_with("]") ? ReportStart::kWhole : ReportStart::kNo;
  // Lines quoted on their own, without the report's first lines: a fragment starts there.
  static constexpr std::string_view kFragmentKeys[] = {"Exception Codes",
                                                       "Exception Subtype",
                                                       "Termination Reason",
                                                       "Termination Signal",
                                                       "Application Specific Information",
                                                       "Dyld Error Message"};
  for (std::string_view fragment_key : kFragmentKeys) {
    if (key == fragment_key) return ReportStart::kFragment;
  }
  return ReportStart::kNo;
}

}  // namespace

bool CrashTextReader::StartsWholeReport(std::string_view line) { return StartOf(line) == ReportStart::kWhole; }

bool CrashTextReader::StartsReport(std::string_view line) { return StartOf(line) != ReportStart::kNo; }

bool CrashTextReader::RepeatsOnceOnlyKey(std::string_view key) const {
  // The keys a report holds once, with what shows this one has it already. Fragments pasted one
  // after the other ("Exception Type: … Termination Reason: …" of one app, then of another) are
  // told apart by them; keys a report may repeat (Exception Codes: an .ips's translation writes
  // two) are not among them.
  struct OnceKey {
    std::string_view key;
    bool (*seen)(const CrashReport&);
  };
  static constexpr OnceKey kOnceKeys[] = {
      {"Process", [](const CrashReport& r) { return !r[Field::kProcess].empty(); }},
      {"Incident Identifier", [](const CrashReport& r) { return !r.incident.empty(); }},
      {"Exception Type", [](const CrashReport& r) { return !r[Field::kExceptionType].empty(); }},
  };
  for (const OnceKey& once : kOnceKeys) {
    if (once.key == key) return once.seen(report_);
  }
  return key == "Termination Reason" && termination_seen_;
}

bool CrashTextReader::incomplete() const {
  return elided_ || (report_[Field::kProcess].empty() && report_.incident.empty());
}

void CrashTextReader::Begin(uint64_t line) {
  *this = CrashTextReader();
  report_.line = line;
}

void CrashTextReader::ThreadHeader(std::string_view line) {
  // "Thread 0 Crashed:: Dispatch queue: …", "Thread 3:", "Thread 0 crashed with ARM Thread State".
  int64_t index = LeadingInt(line.substr(7));
  bool registers = Contains(line, "crashed with") || Contains(line, "Thread State");
  collecting_frames_ =
      !registers && !frames_done_ && (Contains(line, "Crashed") || (index >= 0 && index == crashed_thread_));
  section_ = Section::kThread;
}

namespace {

// The header keys whose value goes to a field as it is written (or, for a process, its name
// without the pid): one row per key. The keys that need more (Process, Exception Type,
// Termination Reason, the sections) are read below.
struct KeyField {
  std::string_view key;
  Field field;
  bool process_name = false;
};
constexpr KeyField kKeyFields[] = {
    {"Path", Field::kProcessPath},
    {"Identifier", Field::kBundleId},
    {"Parent Process", Field::kParent, true},
    {"Responsible", Field::kResponsible, true},
    {"Responsible Process", Field::kResponsible, true},
    {"Date/Time", Field::kTimestamp},
    {"OS Version", Field::kOsVersion},
    {"Exception Codes", Field::kExceptionCodes},
    {"Exception Subtype", Field::kExceptionSubtype},
    {"Code Signing ID", Field::kCodeSigningId},
    {"Team ID", Field::kTeamId},
    {"Team Identifier", Field::kTeamId},
    {"VM Region Info", Field::kVmRegion},
};

}  // namespace

void CrashTextReader::HeaderLine(std::string_view key, std::string_view value, uint64_t line_no) {
  CrashReport& r = report_;
  if (std::string_view kept = StripTrailingElisions(value); kept.size() != value.size()) {
    elided_ = true;  // "Termination Reason: Namespace CODESIGNING, Code 1 [...]"
    value = kept;
  }
  for (const KeyField& row : kKeyFields) {
    if (row.key != key) continue;
    r[row.field] = std::string(row.process_name ? ProcessName(value) : value);
    // macOS 12+ prints the region table under "VM Region Info: <summary>"; its "--->" row names the
    // region that holds the faulting address, as the rows under the older "VM Regions Near" do.
    if (row.field == Field::kVmRegion) section_ = Section::kVmRegions;
    return;
  }
  if (key == "Process") {
    r[Field::kProcess] = std::string(ProcessName(value));
    size_t open = value.rfind('[');
    if (open != std::string_view::npos) {
      r[Field::kPid] = std::string(value.substr(open + 1, value.find(']', open) - open - 1));
    }
  } else if (key == "Incident Identifier") {
    r.incident = std::string(value);
  } else if (key == "Exception Type") {
    r.line = line_no;
    // "EXC_CRASH (Code Signature Invalid)", "EXC_BAD_ACCESS (SIGKILL (Code Signature Invalid))".
    size_t open = value.find(" (");
    if (open != std::string_view::npos && value.ends_with(")")) {
      r[Field::kExceptionType] = std::string(value.substr(0, open));
      r[Field::kSignal] = std::string(value.substr(open + 2, value.size() - open - 3));
    } else {
      r[Field::kExceptionType] = std::string(value);
    }
  } else if (key == "Termination Reason") {
    termination_seen_ = true;
    r.SetTerminationText(value);
    section_ = Section::kTermination;  // dyld's or TCC's explanation may follow, up to a blank line
  } else if (key == "Termination Signal") {
    if (r[Field::kSignal].empty()) r[Field::kSignal] = std::string(value);
  } else if (key == "Crashed Thread" || key == "Triggered by Thread" || key == "Highlighted by Thread") {
    crashed_thread_ = LeadingInt(value);
  } else if (key == "Application Specific Information" || key == "Application Specific Signatures") {
    section_ = Section::kAppSpecific;
    if (!value.empty()) r.AppendLine(Field::kAppSpecific, value);
  } else if (key == "Binary Images") {
    section_ = Section::kBinaryImages;
  } else if (key == "Dyld Error Message") {
    section_ = Section::kTermination;  // macOS 10.x puts dyld's message here
  } else if (key.starts_with("VM Regions Near")) {
    section_ = Section::kVmRegions;
  }
}

CrashTextReader::Fed CrashTextReader::Feed(std::string_view line, uint64_t line_no) {
  CrashReport::Reading reading(report_, line_no, StripTrailingWhitespace(line));  // evidence cites this line
  std::string_view trimmed = StripWhitespace(line);
  if (trimmed.empty()) {
    if (section_ == Section::kBinaryImages) {
      section_ = Section::kDone;
    } else if (section_ == Section::kAppSpecific || section_ == Section::kThread || section_ == Section::kTermination ||
               section_ == Section::kVmRegions) {
      frames_done_ = frames_done_ || !report_[Field::kFrames].empty();
      collecting_frames_ = false;
      section_ = Section::kOther;
    }
    return Fed::kTaken;
  }
  if (section_ == Section::kDone) return Fed::kAlsoText;
  if (IsElisionLine(trimmed)) {  // lines cut out of the report: it goes on after them
    elided_ = true;
    return Fed::kTaken;
  }
  if (trimmed.find_first_not_of('-') == std::string_view::npos || trimmed == "Full Report") {
    return Fed::kTaken;  // the rules around Console's "Translated Report" and "Full Report" headings
  }
  if (trimmed.starts_with("Backtrace not available")) {
    report_.AppendLine(Field::kFrames, trimmed);
    return Fed::kTaken;
  }
  if (line.starts_with("Thread ") && line.size() > 7 && IsAsciiDigit(line[7])) {
    // "Thread 0 name:  Dispatch queue: …" names a thread; its frames follow another header.
    if (Contains(line.substr(0, line.find(':') == std::string_view::npos ? line.size() : line.find(':') + 1),
                 " name:")) {
      return Fed::kTaken;
    }
    frames_done_ = frames_done_ || !report_[Field::kFrames].empty();
    ThreadHeader(line);
    return Fed::kTaken;
  }
  if (section_ == Section::kThread) {
    std::string frame;
    if (collecting_frames_ && ParseFrame(line, frame)) report_.AppendLine(Field::kFrames, frame);
    return Fed::kTaken;
  }
  std::string_view key, value;
  bool keyed = SplitKeyValue(line, key, value);
  if (keyed && RepeatsOnceOnlyKey(key)) return Fed::kNotMine;  // a second report, or fragment, starts
  if (section_ == Section::kTermination &&
      !(keyed && IsReportKey(key) && key != "Reason" && key != "Library not loaded" && key != "Referenced from")) {
    report_.AppendLine(Field::kTerminationDetails, trimmed);
    return Fed::kTaken;
  }
  if (section_ == Section::kVmRegions) {
    if (trimmed.starts_with("-->") || trimmed.starts_with("--->")) report_.AppendLine(Field::kVmRegion, trimmed);
    if (!keyed || !IsReportKey(key)) return Fed::kTaken;
  }
  if (section_ == Section::kAppSpecific) {
    if (keyed && (key == "Binary Images" || key == "Application Specific Signatures" ||
                  key == "Application Specific Information")) {
      HeaderLine(key, value, line_no);
    } else {
      report_.AppendLine(Field::kAppSpecific, trimmed);
    }
    return Fed::kTaken;
  }
  if (section_ == Section::kBinaryImages || IsAsciiSpace(line[0])) return Fed::kTaken;
  if (keyed && IsReportKey(key)) {
    HeaderLine(key, value, line_no);
    return Fed::kTaken;
  }
  return Fed::kAlsoText;
}

}  // namespace tediag
