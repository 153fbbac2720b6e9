#include "tediag/crash_report.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "fmt/format.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// CS_* process flags from xnu osfmk/kern/cs_blobs.h.
constexpr std::array<std::pair<uint64_t, std::string_view>, 28> kCodeSigningFlags = {{
    {0x1, "valid"},
    {0x2, "adhoc"},
    {0x4, "get-task-allow"},
    {0x8, "installer"},
    {0x10, "forced-lv"},
    {0x20, "invalid-allowed"},
    {0x100, "hard"},
    {0x200, "kill"},
    {0x400, "check-expiration"},
    {0x800, "restrict"},
    {0x1000, "enforcement"},
    {0x2000, "require-lv"},
    {0x4000, "entitlements-validated"},
    {0x8000, "nvram-unrestricted"},
    {0x10000, "runtime"},
    {0x20000, "linker-signed"},
    {0x100000, "exec-set-hard"},
    {0x200000, "exec-set-kill"},
    {0x400000, "exec-set-enforcement"},
    {0x800000, "exec-inherit-sip"},
    {0x1000000, "killed"},
    {0x2000000, "no-untrusted-helpers"},
    {0x4000000, "platform-binary"},
    {0x8000000, "platform-path"},
    {0x10000000, "debugged"},
    {0x20000000, "signed"},
    {0x40000000, "dev-code"},
    {0x80000000, "datavault-controller"},
}};

// CS_VALIDATION_CATEGORY_* from the same header.
constexpr std::array<std::string_view, 11> kValidationCategories = {
    "invalid",      "platform",      "testflight", "development", "app-store", "enterprise",
    "developer-id", "local-signing", "rosetta",    "oop-jit",     "none",
};

bool IsNamespaceWord(std::string_view word) {
  if (word.empty() || word == "Code") return false;
  for (char c : word) {
    if (!IsAsciiUpper(c) && c != '_' && !IsAsciiDigit(c)) {
      return false;
    }
  }
  return IsAsciiUpper(word[0]);
}

// Parses a decimal or 0x-prefixed hexadecimal number at the front of `text`, consuming it.
// Parses a decimal or 0x-prefixed hexadecimal number, optionally in brackets ("[0x1]"), at the
// front of `text`, consuming it; on failure `text` is left as it was.
std::optional<uint64_t> ConsumeNumber(std::string_view& text) {
  std::string_view rest = text;
  bool bracketed = ConsumePrefix(rest, "[");
  int base = 10;
  if (ConsumePrefix(rest, "0x") || ConsumePrefix(rest, "0X")) base = 16;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value, base);
  if (ec != std::errc()) return std::nullopt;
  rest.remove_prefix(static_cast<size_t>(end - rest.data()));
  if (bracketed && !ConsumePrefix(rest, "]")) return std::nullopt;
  text = rest;
  return value;
}

}  // namespace

void CrashReport::AppendLine(Field f, std::string_view text) {
  std::string& value = (*this)[f];
  std::vector<SourceLine>& located = lines_.of[static_cast<size_t>(f)];
  // Located only while every earlier line of the value is: entries stay in step with lines.
  if (reading_.line != 0 &&
      located.size() == (value.empty() ? 0 : static_cast<size_t>(std::count(value.begin(), value.end(), '\n')) + 1)) {
    located.push_back(reading_);
    appended_ |= uint64_t{1} << static_cast<size_t>(f);
  }
  if (!value.empty()) value.push_back('\n');
  value.append(text);
}

CrashReport::Reading::Reading(CrashReport& report, uint64_t line, std::string_view text) : report_(report) {
  for (size_t i = 0; i < kFieldCount; ++i) sizes_[i] = report.fields_[i].size();
  report.reading_ = {line, text};
  report.appended_ = 0;
}

CrashReport::Reading::~Reading() {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (report_.fields_[i].size() == sizes_[i] || (report_.appended_ >> i & 1) != 0) continue;
    // Set (not appended) from this line: one entry per line of the value, all from here.
    size_t lines = static_cast<size_t>(std::count(report_.fields_[i].begin(), report_.fields_[i].end(), '\n')) + 1;
    report_.lines_.of[i].assign(report_.fields_[i].empty() ? 0 : lines, report_.reading_);
  }
  report_.reading_ = {};
  report_.appended_ = 0;
}

void CrashReport::SetTermination(std::string_view ns, uint64_t code, std::string_view indicator) {
  (*this)[Field::kTerminationNamespace] = std::string(ns);
  (*this)[Field::kTerminationCode] = StrCat(code);
  (*this)[Field::kTerminationIndicator] = std::string(indicator);
}

void CrashReport::SetTerminationText(std::string_view text) {
  text = StripWhitespace(text);
  ConsumePrefix(text, "Namespace ");
  std::string_view ns;
  size_t word_end = text.find_first_of(", |");
  std::string_view first = text.substr(0, word_end);
  if (IsNamespaceWord(first)) {
    ns = first;
    text.remove_prefix(first.size());
    text = StripLeadingWhitespace(text);
    if (!ConsumePrefix(text, ",")) ConsumePrefix(text, "|");  // "RUNNINGBOARD | Code 0xdead10cc"
    text = StripLeadingWhitespace(text);
  }
  ConsumePrefix(text, "Code ");
  text = StripLeadingWhitespace(text);
  std::optional<uint64_t> code = ConsumeNumber(text);
  if (!code) {
    // Not a form we know: keep the words so rules can still look at them.
    (*this)[Field::kTerminationNamespace] = std::string(ns);
    (*this)[Field::kTerminationIndicator] = std::string(text);
    return;
  }
  ConsumePrefix(text, ",");
  SetTermination(ns, *code, StripWhitespace(text));
}

void CrashReport::SetCodeSigningFlags(uint64_t flags) {
  std::string out = fmt::format("0x{:x} (", flags);
  bool first = true;
  for (const auto& [bit, name] : kCodeSigningFlags) {
    if ((flags & bit) == 0) continue;
    StrAppend(out, first ? "" : ", ", name);
    first = false;
  }
  out.push_back(')');
  (*this)[Field::kCodeSigningFlags] = std::move(out);
}

void CrashReport::SetValidationCategory(uint64_t category) {
  std::string_view name = category < kValidationCategories.size() ? kValidationCategories[category] : "unknown";
  (*this)[Field::kValidationCategory] = StrCat(category, " (", name, ")");
}

bool CrashReport::empty() const {
  for (const std::string& value : fields_) {
    if (!value.empty()) return false;
  }
  return true;
}

Record CrashReport::ToRecord() {
  const std::string& type = (*this)[Field::kExceptionType];
  const std::string& signal = (*this)[Field::kSignal];
  summary_.clear();
  if (!type.empty() || !signal.empty()) {
    StrAppend(summary_, "Exception ", type, signal.empty() ? "" : " (", signal, signal.empty() ? "" : ")");
  }
  const std::string& ns = (*this)[Field::kTerminationNamespace];
  const std::string& code = (*this)[Field::kTerminationCode];
  if (!ns.empty() || !code.empty()) {
    StrAppend(summary_, summary_.empty() ? "" : "; ", "Termination ", ns, ns.empty() ? "" : " ", code);
    const std::string& indicator = (*this)[Field::kTerminationIndicator];
    if (!indicator.empty()) StrAppend(summary_, " ", indicator);
  }
  std::string_view specific = (*this)[Field::kAppSpecific];
  if (!specific.empty()) {
    StrAppend(summary_, summary_.empty() ? "" : "; ", specific.substr(0, specific.find('\n')));
  }
  if (summary_.empty()) summary_ = "crash report of " + (*this)[Field::kProcess];

  Record record;
  record.kind = RecordKind::kCrashReport;
  record.line = line;
  record.text = summary_;
  record.incident = incident;
  for (size_t i = 0; i < kFieldCount; ++i) record.fields[i] = fields_[i];
  record.field_lines = &lines_;
  return record;
}

}  // namespace tediag
