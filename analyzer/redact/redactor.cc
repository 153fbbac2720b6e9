#include "redact/redactor.h"

#include <algorithm>

#include "redact/detectors.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using namespace redaction;  // the detectors (detectors.h)

}  // namespace

std::string_view RedactedKindName(RedactedKind kind) {
  switch (kind) {
    case RedactedKind::kUser: return "user";
    case RedactedKind::kHost: return "host";
    case RedactedKind::kEmail: return "email";
    case RedactedKind::kIp: return "ip";
    case RedactedKind::kMac: return "mac";
    case RedactedKind::kSerial: return "serial";
    case RedactedKind::kMachineUuid: return "machine-uuid";
    case RedactedKind::kCount: break;
  }
  return "value";
}

void Redactor::Add(RedactedKind kind, std::string_view value, bool anywhere) {
  value = StripWhitespace(value);
  std::string lower = ToLower(value);
  if (lower.size() < 2 || lower.size() > 128 || lower.front() == '<' || IsNotPrivate(lower)) return;
  if (auto it = index_.find(lower); it != index_.end()) {
    entries_[it->second].anywhere |= anywhere;
    return;
  }
  Entry entry{kind, lower, /*placeholder=*/{}};
  // A short user name ("jo") would also hit ordinary words; it is replaced only in home folders.
  entry.anywhere = anywhere || kind != RedactedKind::kUser || lower.size() >= 3;
  index_.emplace(std::move(lower), entries_.size());
  entries_.push_back(std::move(entry));
}

// `line` is a block of whole lines: the searches run once over it (much cheaper than once per line),
// and no scanner reaches across a '\n'.
void Redactor::LearnLines(std::string_view line, std::string& lower) {
  LowerInto(line, lower);
  // Home folders: /Users/NAME/ (and \/Users\/NAME\/ in JSON).
  for (size_t pos = Find(lower, "/users"); pos != std::string::npos; pos = Find(lower, "/users", pos + 1)) {
    size_t p = pos + 6;
    if (lower.compare(p, 2, "\\/") == 0) {
      p += 2;
    } else if (p < lower.size() && lower[p] == '/') {
      ++p;
    } else {
      continue;
    }
    size_t end = p;
    while (end < lower.size() && IsShortNameByte(lower[end])) ++end;
    while (end > p && lower[end - 1] == '.') --end;
    if (end > p) Add(RedactedKind::kUser, line.substr(p, end - p));
  }
  std::vector<std::pair<RedactedKind, std::string_view>> keyed;
  FindKeyedValues(lower, line, keyed);
  for (auto [kind, value] : keyed) {
    Add(kind, value);
    // "User Name: Johnny Appleseed (jappleseed)": the short name in parentheses too.
    size_t open = value.rfind('('), close = value.rfind(')');
    if (kind == RedactedKind::kUser && open != std::string_view::npos && close > open) {
      Add(kind, value.substr(open + 1, close - open - 1));
    }
  }
  std::vector<std::string_view> values;
  FindEmails(line, values);
  for (std::string_view v : values) Add(RedactedKind::kEmail, v);
  values.clear();
  std::vector<std::string_view> macs;
  FindIpv4(line, values);
  FindIpv6AndMac(line, values, macs);
  for (std::string_view v : values) Add(RedactedKind::kIp, v);
  for (std::string_view v : macs) Add(RedactedKind::kMac, v);
  values.clear();
  ForEachLine(line, [&](std::string_view one, bool) {
    if (auto [user, host] = PromptUserAndHost(one); !user.empty()) {
      Add(RedactedKind::kUser, user, /*anywhere=*/true);  // even a short name: the prompt is a clear context
      values.push_back(host);
    }
    if (std::string_view host = SyslogHost(one); !host.empty()) values.push_back(host);
  });
  FindCrashFileHosts(line, values);
  FindComputerNames(lower, line, values);
  FindModelHostNames(lower, line, values);
  FindDotLocal(lower, line, values);
  for (std::string_view v : values) Add(RedactedKind::kHost, v);
}

void Redactor::Learn(std::string_view text) {
  constexpr size_t kBlock = 64 * 1024;
  std::string lower;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start + kBlock >= text.size() ? text.size() : text.find('\n', start + kBlock);
    end = end == std::string_view::npos ? text.size() : end + 1;
    LearnLines(text.substr(start, end - start), lower);
    start = end;
  }
}

void Redactor::RedactLine(std::string_view line, std::string& lower, std::string& out) {
  constexpr size_t kKeep = static_cast<size_t>(-1);
  struct Span {
    size_t begin, end, entry;
  };
  std::vector<Span> spans;
  std::vector<std::pair<size_t, size_t>> placeholders;
  FindPlaceholders(line, placeholders);
  for (auto [begin, end] : placeholders) spans.push_back({begin, end, kKeep});
  LowerInto(line, lower);
  for (size_t e = 0; e < entries_.size(); ++e) {
    const Entry& entry = entries_[e];
    bool has_colon = entry.value.find(':') != std::string::npos;
    for (size_t pos = Find(lower, entry.value); pos != std::string::npos; pos = Find(lower, entry.value, pos + 1)) {
      size_t end = pos + entry.value.size();
      char before = pos > 0 ? lower[pos - 1] : ' ', after = end < lower.size() ? lower[end] : ' ';
      // A host name may sit between underscores (App_2016-02-29-112415_HOST.crash).
      auto joins = [&](char c) { return IsWordByte(c) && !(c == '_' && entry.kind == RedactedKind::kHost); };
      if (joins(before) || joins(after)) continue;
      if (has_colon && (before == ':' || after == ':')) continue;  // part of a longer IPv6 address
      if (entry.kind == RedactedKind::kIp && !has_colon &&
          (before == '.' || (after == '.' && end + 1 < lower.size() && IsAsciiDigit(lower[end + 1])))) {
        continue;  // part of a longer dotted number
      }
      if (entry.kind == RedactedKind::kUser) {
        bool in_home = (pos >= 7 && lower.compare(pos - 7, 7, "/users/") == 0) ||
                       (pos >= 8 && lower.compare(pos - 8, 8, "/users\\/") == 0);
        if (!entry.anywhere && !in_home) continue;
        // com.jappleseed.tool: a component of a bundle ID (never the first one) is kept.
        if (!in_home && pos >= 2 && before == '.' && IsAsciiAlnum(lower[pos - 2])) continue;
      }
      spans.push_back({pos, end, e});
    }
  }
  if (spans.empty()) {
    out.append(line);
    return;
  }
  // Leftmost first; at one position the longest ("johnny.appleseed@icloud.com" over "johnny").
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
  size_t written = 0;
  for (const Span& span : spans) {
    if (span.begin < written) continue;
    out.append(line.substr(written, span.begin - written));
    if (span.entry == kKeep) {
      out.append(line.substr(span.begin, span.end - span.begin));
    } else {
      Entry& entry = entries_[span.entry];
      // Numbered when first used, so a report's placeholders count up in reading order even when
      // more values were learned from the inputs than reached it.
      if (entry.placeholder.empty()) {
        entry.placeholder =
            StrCat("<", RedactedKindName(entry.kind), "-", ++next_number_[static_cast<size_t>(entry.kind)], ">");
      }
      out.append(entry.placeholder);
      ++entry.occurrences;
    }
    written = span.end;
  }
  out.append(line.substr(written));
}

std::string Redactor::Redact(std::string_view text) {
  Learn(text);
  std::string out, lower;
  out.reserve(text.size());
  ForEachLine(text, [&](std::string_view line, bool newline) {
    RedactLine(line, lower, out);
    if (newline) out.push_back('\n');
  });
  return out;
}

void Redactor::RedactReport(Report& report) {
  std::vector<std::string*> strings;
  ForEachAnalysisString(report, [&](std::string& s) { strings.push_back(&s); });
  for (std::string* s : strings) Learn(*s);
  for (std::string* s : strings) *s = Redact(*s);
  report.redaction = Summary();
}

Redaction Redactor::Summary() const {
  Redaction summary;
  for (size_t k = 0; k < kRedactedKindCount; ++k) {
    RedactedCount count{std::string(RedactedKindName(static_cast<RedactedKind>(k)))};
    for (const Entry& entry : entries_) {
      if (static_cast<size_t>(entry.kind) != k || entry.occurrences == 0) continue;
      ++count.values;
      count.occurrences += entry.occurrences;
    }
    if (count.values > 0) summary.replaced.push_back(std::move(count));
  }
  return summary;
}

std::string Redactor::PlaceholderFor(std::string_view value) const {
  auto it = index_.find(ToLower(StripWhitespace(value)));
  return it == index_.end() ? std::string() : entries_[it->second].placeholder;  // empty until first replaced
}

}  // namespace tediag
