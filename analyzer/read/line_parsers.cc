#include "read/line_parsers.h"

#include <array>

#include "util/text_util.h"

namespace tediag {
namespace {

bool IsColumnSpace(char c) { return c == ' ' || c == '\t'; }  // between columns

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

bool IsHexNumber(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return false;
  for (char c : s.substr(2)) {
    if (!IsAsciiHexDigit(c)) return false;
  }
  return true;
}

// Matches `pattern` where 'd' stands for a digit and any other character for itself.
bool MatchesShape(std::string_view s, std::string_view pattern) {
  if (s.size() < pattern.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == 'd' ? !IsAsciiDigit(s[i]) : s[i] != pattern[i]) return false;
  }
  return true;
}

// Length of "YYYY-MM-DD HH:MM:SS[.fff…][±HHMM]" at the start of `line`, or 0.
size_t TimestampLength(std::string_view line, bool* has_zone = nullptr) {
  if (!MatchesShape(line, "dddd-dd-dd dd:dd:dd")) return 0;
  size_t n = 19;
  if (n < line.size() && line[n] == '.') {
    ++n;
    while (n < line.size() && IsAsciiDigit(line[n])) ++n;
  }
  bool zone = n + 5 <= line.size() && (line[n] == '+' || line[n] == '-') && AllDigits(line.substr(n + 1, 4));
  if (zone) n += 5;
  if (has_zone) *has_zone = zone;
  return n;
}

// Splits off the next whitespace-separated token.
std::string_view NextToken(std::string_view& rest) {
  rest = StripLeadingWhitespace(rest);
  size_t end = 0;
  while (end < rest.size() && !IsColumnSpace(rest[end])) ++end;
  std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end);
  return token;
}

// Parses the "(sender) [subsystem:category] text" tail shared by the text styles.
void ParseSenderAndSubsystem(std::string_view rest, Record& record) {
  if (rest.starts_with("(")) {
    size_t close = rest.find(") ");
    if (close != std::string_view::npos && rest.substr(0, close).find(' ') == std::string_view::npos) {
      record.Set(Field::kSender, rest.substr(1, close - 1));
      rest.remove_prefix(close + 2);
    }
  }
  if (rest.starts_with("[")) {
    size_t close = rest.find("] ");
    std::string_view inner = close == std::string_view::npos ? "" : rest.substr(1, close - 1);
    size_t colon = inner.find(':');
    if (colon != std::string_view::npos && inner.find(' ') == std::string_view::npos) {
      record.Set(Field::kSubsystem, inner.substr(0, colon));
      record.Set(Field::kCategory, inner.substr(colon + 1));
      rest.remove_prefix(close + 2);
    }
  }
  record.Set(Field::kMessage, rest);
  record.text = rest;
}

// Takes sender, subsystem and category from the "(sender) [sub:cat] text" after a loose
// line's process name; the loose line's message stays the whole line.
void CopySenderAndSubsystem(std::string_view tail, Record& record) {
  Record parsed;
  ParseSenderAndSubsystem(tail, parsed);
  for (Field f : {Field::kSender, Field::kSubsystem, Field::kCategory}) record.Set(f, parsed.Get(f));
}

// "process: (sender) [sub:cat] text" as the default style composes it.
void ParseComposedMessage(std::string_view rest, Record& record) {
  size_t colon = rest.find(": ");
  if (colon != std::string_view::npos && colon > 0) {
    record.Set(Field::kProcess, rest.substr(0, colon));
    rest.remove_prefix(colon + 2);
  } else if (rest.ends_with(":")) {
    record.Set(Field::kProcess, rest.substr(0, rest.size() - 1));
    rest = {};
  }
  ParseSenderAndSubsystem(rest, record);
}

// Finds "name[pid]" ending right before `bracket`; the name may contain spaces.
bool SplitProcessAndPid(std::string_view head, Record& record) {
  size_t open = head.rfind('[');
  if (open == std::string_view::npos || open == 0 || head.back() != ']') return false;
  std::string_view inside = head.substr(open + 1, head.size() - open - 2);
  std::string_view pid = inside.substr(0, inside.find(':'));
  if (!AllDigits(pid)) return false;
  record.Set(Field::kProcess, head.substr(0, open));
  record.Set(Field::kPid, pid);
  return true;
}

constexpr std::array<std::string_view, 5> kConsoleTypes = {"default", "info", "debug", "error", "fault"};

}  // namespace

bool StartsWithLogTimestamp(std::string_view line) { return TimestampLength(line) != 0; }

bool IsWholeEntryLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.starts_with("{\"")) {
    return line.ends_with("}") && (Contains(line, "\"eventMessage\":") || Contains(line, "\"eventType\":"));
  }
  if (line.empty() || line[0] < '0' || line[0] > '9') return false;
  Record record;
  return ParseDefaultStyleLine(line, record) || ParseCompactStyleLine(line, record) ||
         ParseSyslogStyleLine(line, record);
}

bool ParseDefaultStyleLine(std::string_view line, Record& record) {
  bool zone = false;
  size_t ts = TimestampLength(line, &zone);
  if (ts == 0 || !zone) return false;
  std::string_view rest = line.substr(ts);
  std::string_view thread = NextToken(rest);
  std::string_view type = NextToken(rest);
  std::string_view activity = NextToken(rest);
  std::string_view pid = NextToken(rest);
  if (!IsHexNumber(thread) || !IsHexNumber(activity) || !AllDigits(pid) || type.empty()) return false;
  std::string_view after_pid = rest;
  std::string_view ttl = NextToken(after_pid);
  if (AllDigits(ttl)) rest = after_pid;
  record.Set(Field::kTimestamp, line.substr(0, ts));
  record.Set(Field::kMessageType, type);
  record.Set(Field::kPid, pid);
  ParseComposedMessage(StripLeadingWhitespace(rest), record);
  return true;
}

bool ParseCompactStyleLine(std::string_view line, Record& record) {
  bool zone = false;
  size_t ts = TimestampLength(line, &zone);
  if (ts == 0 || zone || ts != 23) return false;  // compact has milliseconds and no zone
  std::string_view rest = line.substr(ts);
  if (rest.empty() || rest[0] != ' ') return false;
  std::string_view type = NextToken(rest);
  if (type.empty() || type.size() > 2) return false;
  // "Process Name[pid:tid] ..." — the process name may contain spaces.
  size_t close = rest.find("] ");
  if (close == std::string_view::npos) {
    if (!rest.ends_with("]")) return false;
    close = rest.size() - 1;
  }
  std::string_view head = StripLeadingWhitespace(rest.substr(0, close + 1));
  if (head.find(':') == std::string_view::npos || !SplitProcessAndPid(head, record)) return false;
  record.Set(Field::kTimestamp, line.substr(0, ts));
  record.Set(Field::kMessageType, type);
  std::string_view tail = close + 2 <= rest.size() ? rest.substr(close + 2) : std::string_view{};
  ParseSenderAndSubsystem(tail, record);
  return true;
}

bool ParseSyslogStyleLine(std::string_view line, Record& record) {
  size_t ts = TimestampLength(line);
  if (ts == 0) return false;
  std::string_view rest = line.substr(ts);
  std::string_view host = NextToken(rest);
  if (host.empty()) return false;
  rest = StripLeadingWhitespace(rest);
  size_t colon = rest.find("]: ");
  if (colon == std::string_view::npos) {
    if (!rest.ends_with("]:")) return false;
    colon = rest.size() - 2;
  }
  if (!SplitProcessAndPid(rest.substr(0, colon + 1), record)) return false;
  record.Set(Field::kTimestamp, line.substr(0, ts));
  std::string_view tail = colon + 3 <= rest.size() ? rest.substr(colon + 3) : std::string_view{};
  ParseSenderAndSubsystem(tail, record);
  return true;
}

void ParseLooseLine(std::string_view line, Record& record) {
  std::string_view text = StripWhitespace(line);
  record.Set(Field::kMessage, text);
  record.text = text;

  // Console.app copies: "type<TAB>time<TAB>process<TAB>…<TAB>message".
  size_t tab = text.find('\t');
  if (tab != std::string_view::npos) {
    std::string_view type = text.substr(0, tab);
    for (std::string_view known : kConsoleTypes) {
      if (type != known) continue;
      size_t time_end = text.find('\t', tab + 1);
      size_t process_end = time_end == std::string_view::npos ? time_end : text.find('\t', time_end + 1);
      if (process_end == std::string_view::npos) break;
      record.Set(Field::kMessageType, type);
      record.Set(Field::kTimestamp, text.substr(tab + 1, time_end - tab - 1));
      record.Set(Field::kProcess, text.substr(time_end + 1, process_end - time_end - 1));
      std::string_view message = text.substr(text.rfind('\t') + 1);
      record.Set(Field::kMessage, message);
      return;
    }
  }

  // "… name[pid]: message" within the first few words (BSD syslog, crash logs, Terminal).
  size_t close = text.find("]: ");
  if (close != std::string_view::npos && close < 120) {
    std::string_view head = text.substr(0, close + 1);
    size_t start = head.rfind(' ', head.rfind('['));
    std::string_view candidate = start == std::string_view::npos ? head : head.substr(start + 1);
    Record probe;
    if (SplitProcessAndPid(candidate, probe)) {
      record.Set(Field::kProcess, probe.Get(Field::kProcess));
      record.Set(Field::kPid, probe.Get(Field::kPid));
      CopySenderAndSubsystem(text.substr(close + 3), record);
      return;
    }
  }

  // "kernel: (Sender) text", "zsh: killed  ./tool": a leading Unix-style process name (lower
  // case, digits, '.', '_', '-'), so that prose such as "Error: …" or "Thrown: …" is not taken.
  size_t colon = text.find(": ");
  if (colon != std::string_view::npos && colon > 0 && colon <= 40) {
    std::string_view name = text.substr(0, colon);
    bool plausible = true;
    for (char c : name) {
      bool lower = c >= 'a' && c <= 'z';
      plausible = plausible && (lower || IsAsciiDigit(c) || c == '.' || c == '_' || c == '-');
    }
    if (plausible) {
      record.Set(Field::kProcess, name);
      CopySenderAndSubsystem(text.substr(colon + 2), record);
    }
  }
}

// How the lines `log` prints around its entries begin: the predicate echo, the level notices,
// and the statistics footer's rows.
constexpr std::string_view kBoilerplatePrefixes[] = {
    "Filtering the log data using ",
    "Skipping info and debug messages",
    "Skipping debug messages",
    "Log      - Default:",
    "Log - Default:",
    "Activity - Create:",
};
// Words one of which every style's column header holds after "Timestamp".
constexpr std::string_view kHeaderWords[] = {"Thread", "Process[PID", "(process)[PID]", "Ty "};

bool IsLogBoilerplate(std::string_view line) {
  std::string_view s = StripTrailingWhitespace(line);
  for (std::string_view prefix : kBoilerplatePrefixes) {
    if (s.starts_with(prefix)) return true;
  }
  if (s.starts_with("Timestamp ") || s == "Timestamp") {
    for (std::string_view word : kHeaderWords) {
      if (Contains(s, word)) return true;
    }
    return false;
  }
  return s.size() >= 20 && s.find_first_not_of('-') == std::string_view::npos;  // the footer's rule
}

}  // namespace tediag
