// The detectors of private values, each a scanner over one line (see detectors.h).
#include "redact/detectors.h"

#include <string.h>

#include <algorithm>
#include <array>

#include "util/text_util.h"

namespace tediag::redaction {
namespace {

// Bytes that continue a word: a value is only replaced where its neighbours are not these, so a
// name is never cut out of a longer word. Bytes of multi-byte UTF-8 characters count as letters.
constexpr std::array<bool, 256> kWordBytes = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<size_t>(c)] =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }
  return table;
}();
}  // namespace

bool IsWordByte(char c) { return kWordBytes[static_cast<unsigned char>(c)]; }

// Substring search through memmem, much faster than string_view::find for needles whose first
// byte is common ('/', '.', 'n') — Learn() runs it over whole inputs.
size_t Find(std::string_view haystack, std::string_view needle, size_t from) {
  if (from > haystack.size()) return std::string_view::npos;
  const void* hit = ::memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos : static_cast<size_t>(static_cast<const char*>(hit) - haystack.data());
}
namespace {
bool IsHostByte(char c) { return IsAsciiAlnum(c) || c == '-'; }
}  // namespace
bool IsShortNameByte(char c) { return IsAsciiAlnum(c) || c == '_' || c == '-' || c == '.'; }

void LowerInto(std::string_view line, std::string& lower) {
  lower.resize(line.size());
  for (size_t i = 0; i < line.size(); ++i) lower[i] = AsciiToLower(line[i]);
}

namespace {

// Fields whose value identifies a person or a machine, as they are spelt in system_profiler and
// ioreg output, crash reports (text and .ips JSON) and configuration dumps; compared in lower case.
struct KeyedField {
  std::string_view key;
  RedactedKind kind;
  bool spaces;  // the value may hold spaces ("Computer Name: Johnny's MacBook Pro")
};
constexpr std::array<KeyedField, 27> kKeyedFields{{
    {"computer name", RedactedKind::kHost, true},
    {"computername", RedactedKind::kHost, true},
    {"localhostname", RedactedKind::kHost, false},
    {"local hostname", RedactedKind::kHost, false},
    {"local host name", RedactedKind::kHost, false},
    {"hostname", RedactedKind::kHost, false},
    {"host name", RedactedKind::kHost, false},
    {"user name", RedactedKind::kUser, true},
    {"username", RedactedKind::kUser, false},
    {"short name", RedactedKind::kUser, false},
    {"shortname", RedactedKind::kUser, false},
    {"serial number", RedactedKind::kSerial, false},
    {"serialnumber", RedactedKind::kSerial, false},
    {"serial_number", RedactedKind::kSerial, false},
    {"ioplatformserialnumber", RedactedKind::kSerial, false},
    {"hardware uuid", RedactedKind::kMachineUuid, false},
    {"hardwareuuid", RedactedKind::kMachineUuid, false},
    {"platform uuid", RedactedKind::kMachineUuid, false},
    {"ioplatformuuid", RedactedKind::kMachineUuid, false},
    {"provisioning udid", RedactedKind::kMachineUuid, false},
    {"crashreporterkey", RedactedKind::kMachineUuid, false},
    {"crashreporter key", RedactedKind::kMachineUuid, false},
    {"anonymous uuid", RedactedKind::kMachineUuid, false},
    {"sleep/wake uuid", RedactedKind::kMachineUuid, false},
    {"sleepwakeuuid", RedactedKind::kMachineUuid, false},
    {"deviceidentifierforvendor", RedactedKind::kMachineUuid, false},
    {"machine uuid", RedactedKind::kMachineUuid, false},
}};

}  // namespace

// Words that look like values but are not private.
bool IsNotPrivate(std::string_view lower) {
  // Log levels too: a "timestamp LEVEL proc[pid]:" line must not teach "error" as a host name. And
  // "/Users/USER/…" is already anonymous: replacing "user" everywhere would garble rule text.
  static constexpr std::string_view kPublic[] = {
      "localhost", "null", "(null)", "nil", "none", "unknown", "n/a", "<private>", "true", "false", "shared", "guest",
      "default", "info", "debug", "error", "fault", "notice", "warning", "df", "db",
      // what people write when they anonymise a path themselves
      "user", "username", "yourname", "name", "me", "xxx", "redacted", "anonymous", "admin", "administrator"};
  for (std::string_view word : kPublic) {
    if (lower == word) return true;
  }
  // All zeros (and separators): an unset UUID or serial.
  return lower.find_first_not_of("0-.:") == std::string_view::npos;
}

// "…@…" where the part after '@' is a domain with a top-level name of letters. "icon@2x.png" is
// an image, not an address.
void FindEmails(std::string_view line, std::vector<std::string_view>& found) {
  auto is_local = [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
  for (size_t at = line.find('@'); at != std::string_view::npos; at = line.find('@', at + 1)) {
    size_t left = at;
    while (left > 0 && is_local(line[left - 1])) --left;
    while (left < at && line[left] == '.') ++left;
    size_t right = at + 1;
    while (right < line.size() && (IsHostByte(line[right]) || line[right] == '.')) ++right;
    while (right > at + 1 && (line[right - 1] == '.' || line[right - 1] == '-')) --right;
    std::string_view domain = line.substr(at + 1, right - at - 1);
    size_t last_dot = domain.rfind('.');
    if (left == at || last_dot == std::string_view::npos || last_dot == 0) continue;
    std::string_view tld = domain.substr(last_dot + 1);
    if (tld.size() < 2 ||
        !std::all_of(tld.begin(), tld.end(), [](char c) { return IsAsciiAlnum(c) && !IsAsciiDigit(c); })) {
      continue;
    }
    std::string_view first_label = domain.substr(0, domain.find('.'));
    if (first_label.size() >= 2 && (first_label.back() == 'x' || first_label.back() == 'X') &&
        std::all_of(first_label.begin(), first_label.end() - 1, IsAsciiDigit)) {
      continue;  // name@2x.png
    }
    found.push_back(line.substr(left, right - left));
  }
}

namespace {

// Steps past line[i]; past the rest of its word when it is in one (no address starts inside a word).
void SkipWord(std::string_view line, size_t& i) {
  if (!IsWordByte(line[i])) {
    ++i;
    return;
  }
  while (i < line.size() && IsWordByte(line[i])) ++i;
}

}  // namespace

// Dotted quads that are not part of a longer dotted number; loopback, unspecified and broadcast
// addresses are not private.
void FindIpv4(std::string_view line, std::vector<std::string_view>& found) {
  size_t i = 0;
  while (i < line.size()) {
    if (!IsAsciiDigit(line[i]) || (i > 0 && (IsWordByte(line[i - 1]) || line[i - 1] == '.'))) {
      SkipWord(line, i);
      continue;
    }
    size_t p = i;
    int octets = 0;
    bool ok = true;
    while (ok && octets < 4) {
      size_t start = p;
      unsigned value = 0;
      while (p < line.size() && IsAsciiDigit(line[p]) && p - start < 4) value = value * 10 + unsigned(line[p++] - '0');
      size_t digits = p - start;
      ok = digits >= 1 && digits <= 3 && value <= 255 && !(digits > 1 && line[start] == '0');
      ++octets;
      if (ok && octets < 4) {
        ok = p < line.size() && line[p] == '.';
        ++p;
      }
    }
    bool continues = p < line.size() &&
                     (IsWordByte(line[p]) || (line[p] == '.' && p + 1 < line.size() && IsAsciiDigit(line[p + 1])));
    if (ok && !continues) {
      std::string_view ip = line.substr(i, p - i);
      if (!ip.starts_with("127.") && ip != "0.0.0.0" && ip != "255.255.255.255") found.push_back(ip);
      i = p;
      continue;
    }
    while (i < line.size() && (IsAsciiDigit(line[i]) || line[i] == '.')) ++i;
  }
}

// Runs of hex digits and colons: a full or "::"-compressed IPv6 address, or a six-group MAC address.
void FindIpv6AndMac(std::string_view line, std::vector<std::string_view>& ips, std::vector<std::string_view>& macs) {
  auto in_run = [](char c) { return IsAsciiHexDigit(c) || c == ':'; };
  size_t i = 0;
  while (i < line.size()) {
    if (!in_run(line[i]) || (i > 0 && (IsWordByte(line[i - 1]) || line[i - 1] == '.'))) {
      SkipWord(line, i);
      continue;
    }
    size_t end = i;
    while (end < line.size() && in_run(line[end])) ++end;
    std::string_view run = line.substr(i, end - i);
    size_t start = i;
    i = end;
    // Followed by a letter, or by ".digit" (an embedded IPv4, left to FindIpv4): not an address.
    if (end < line.size() && (IsWordByte(line[end]) || line[end] == '.')) continue;
    if (std::count(run.begin(), run.end(), ':') < 2) continue;
    std::vector<std::string_view> groups = Split(run, ':');
    size_t compressions = 0;
    for (size_t k = 0; k + 1 < run.size(); ++k) compressions += run[k] == ':' && run[k + 1] == ':';
    if (run.find(":::") != std::string_view::npos || compressions > 1) continue;
    bool groups_ok = true;
    size_t filled = 0;
    for (std::string_view g : groups) {
      if (g.empty()) continue;
      ++filled;
      groups_ok &= g.size() <= 4;
    }
    bool has_digit = std::any_of(run.begin(), run.end(), IsAsciiDigit);
    if (!groups_ok || !has_digit) continue;
    if (compressions == 0) {
      bool no_empty = std::none_of(groups.begin(), groups.end(), [](std::string_view g) { return g.empty(); });
      if (no_empty && groups.size() == 6 &&
          std::all_of(groups.begin(), groups.end(), [](std::string_view g) { return g.size() == 2; })) {
        std::string lower = ToLower(run);
        if (lower != "00:00:00:00:00:00" && lower != "ff:ff:ff:ff:ff:ff")
          macs.push_back(line.substr(start, run.size()));
      } else if (no_empty && groups.size() == 8) {
        ips.push_back(run);
      }
      continue;
    }
    // Compressed: a lone ':' may only start or end the address as part of "::".
    if ((run.front() == ':' && !run.starts_with("::")) || (run.back() == ':' && !run.ends_with("::"))) continue;
    if (filled >= 2 && filled <= 7) ips.push_back(run);  // not "::" or "::1"
  }
}

// NAME.local (Bonjour host names).
void FindDotLocal(std::string_view lower, std::string_view line, std::vector<std::string_view>& found) {
  for (size_t pos = Find(lower, ".local"); pos != std::string_view::npos; pos = Find(lower, ".local", pos + 1)) {
    if (pos + 6 < lower.size() && IsWordByte(lower[pos + 6])) continue;  // .localized, .locale
    size_t start = pos;
    while (start > 0 && IsHostByte(lower[start - 1])) --start;
    if (start == pos || (start > 0 && (lower[start - 1] == '.' || lower[start - 1] == '/'))) continue;
    found.push_back(line.substr(start, pos - start));
  }
}

// Host names macOS derives from a computer name: Johnnys-MacBook-Pro, Johnnys-iMac-2, …
void FindModelHostNames(std::string_view lower, std::string_view line, std::vector<std::string_view>& found) {
  static constexpr std::string_view kModels[] = {"-macbook", "-imac", "-mac-mini", "-mac-studio", "-mac-pro"};
  for (std::string_view model : kModels) {
    for (size_t pos = Find(lower, model); pos != std::string_view::npos; pos = Find(lower, model, pos + 1)) {
      size_t after = pos + model.size();
      if (model != "-macbook" && after < lower.size() && IsAsciiAlnum(lower[after]) && !IsAsciiDigit(lower[after])) {
        continue;
      }
      size_t start = pos;
      while (start > 0 && IsHostByte(lower[start - 1])) --start;
      size_t end = after;
      while (end < lower.size() && IsHostByte(lower[end])) ++end;
      if (start == pos || (start > 0 && lower[start - 1] == '.')) continue;
      found.push_back(line.substr(start, end - start));
    }
  }
}

// Computer names as macOS names them: "Johnny's MacBook Pro" (straight or typographic apostrophe).
void FindComputerNames(std::string_view lower, std::string_view line, std::vector<std::string_view>& found) {
  static constexpr std::string_view kModels[] = {"macbook pro", "macbook air", "macbook",    "imac pro",
                                                 "imac",        "mac mini",    "mac studio", "mac pro"};
  for (std::string_view apostrophe : {std::string_view("'s "), std::string_view("\xE2\x80\x99s ")}) {
    for (size_t pos = Find(lower, apostrophe); pos != std::string_view::npos; pos = Find(lower, apostrophe, pos + 1)) {
      size_t model_at = pos + apostrophe.size();
      size_t end = std::string_view::npos;
      for (std::string_view model : kModels) {
        if (lower.substr(model_at).starts_with(model) &&
            (model_at + model.size() == lower.size() || !IsWordByte(lower[model_at + model.size()]))) {
          end = model_at + model.size();
          break;
        }
      }
      size_t start = pos;
      while (start > 0 && (IsWordByte(lower[start - 1]) || lower[start - 1] == '-')) --start;
      if (end == std::string_view::npos || start == pos) continue;
      found.push_back(line.substr(start, end - start));
    }
  }
}

// The host column of syslog-style lines: "2024-05-01 10:10:10.123456+0200 HOST proc[123]: …" and
// "May  1 10:10:10 HOST proc[123]: …" (`log show --style syslog` prints localhost; system.log and
// other files copied from a Mac print the real name).
std::string_view SyslogHost(std::string_view line) {
  auto digits = [&](size_t at, size_t count) {
    if (at + count > line.size()) return false;
    for (size_t k = at; k < at + count; ++k) {
      if (!IsAsciiDigit(line[k])) return false;
    }
    return true;
  };
  size_t p = 0;
  if (digits(0, 4) && line.size() > 19 && line[4] == '-' && digits(5, 2) && line[7] == '-' && digits(8, 2) &&
      (line[10] == ' ' || line[10] == 'T') && digits(11, 2) && line[13] == ':' && digits(14, 2) && line[16] == ':' &&
      digits(17, 2)) {
    p = 19;
  } else {
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    size_t month = line.size() < 16 ? std::string_view::npos : kMonths.find(line.substr(0, 3));
    if (month == std::string_view::npos || month % 3 != 0 || line[3] != ' ' ||
        !(line[4] == ' ' || IsAsciiDigit(line[4])) || !digits(5, 1) || line[6] != ' ' || !digits(7, 2) ||
        line[9] != ':' || !digits(10, 2) || line[12] != ':' || !digits(13, 2)) {
      return {};
    }
    p = 15;
  }
  while (p < line.size() && (IsAsciiDigit(line[p]) || line[p] == '.' || line[p] == '+' || line[p] == '-' ||
                             line[p] == ':' || line[p] == 'Z')) {
    ++p;
  }
  if (p >= line.size() || line[p] != ' ') return {};
  while (p < line.size() && line[p] == ' ') ++p;
  size_t host_start = p;
  while (p < line.size() && (IsHostByte(line[p]) || line[p] == '.' || line[p] == '_')) ++p;
  std::string_view host = line.substr(host_start, p - host_start);
  if (host.size() < 2 || p >= line.size() || line[p] != ' ' || host.starts_with("0x")) return {};
  // What follows must be a process with its pid: "name[123]" (a name may hold spaces).
  std::string_view rest = line.substr(p + 1, 160);
  size_t bracket = rest.find('[');
  if (bracket == std::string_view::npos || bracket == 0 ||
      rest.substr(0, bracket).find(':') != std::string_view::npos) {
    return {};
  }
  size_t q = bracket + 1;
  while (q < rest.size() && IsAsciiDigit(rest[q])) ++q;
  if (q == bracket + 1 || q >= rest.size() || rest[q] != ']') return {};
  return host;
}

// A keyed field's value: `KEY: value`, `KEY = value`, `"KEY" : "value"`, `\"KEY\":\"value\"`, and
// `Serial Number (system): value`.
void FindKeyedValues(std::string_view lower, std::string_view line,
                     std::vector<std::pair<RedactedKind, std::string_view>>& found) {
  auto try_key = [&](const KeyedField& field, size_t pos) {
    if (pos > 0 && IsAsciiAlnum(lower[pos - 1])) return;
    size_t p = pos + field.key.size();
    auto skip_quote = [&] {
      if (lower.substr(p).starts_with("\\\"")) {
        p += 2;
        return true;
      }
      if (p < lower.size() && lower[p] == '"') {
        ++p;
        return true;
      }
      return false;
    };
    auto skip_spaces = [&] {
      while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
    };
    if (p < lower.size() && IsAsciiAlnum(lower[p])) return;
    skip_quote();
    skip_spaces();
    if (p < lower.size() && lower[p] == '(') {
      size_t close = lower.find(')', p);
      if (close == std::string_view::npos || close - p > 24) return;
      p = close + 1;
      skip_spaces();
    }
    if (p >= lower.size() || (lower[p] != ':' && lower[p] != '=')) return;
    ++p;
    skip_spaces();
    bool quoted = skip_quote();
    size_t start = p;
    if (quoted) {
      while (p < lower.size() && lower[p] != '"' && lower[p] != '\\' && lower[p] != '\n') ++p;
    } else if (field.spaces) {
      while (p < lower.size() && lower[p] != '"' && lower[p] != ',' && lower[p] != ';' && lower[p] != '\t' &&
             lower[p] != '\n' && lower[p] != '\r') {
        ++p;
      }
    } else {
      while (p < lower.size() && (IsHostByte(lower[p]) || lower[p] == '.' || lower[p] == '_' || lower[p] == ':')) ++p;
      while (p > start && (lower[p - 1] == '.' || lower[p - 1] == ':')) --p;  // end of a sentence
    }
    std::string_view value = StripWhitespace(line.substr(start, p - start));
    if (!value.empty()) found.emplace_back(field.kind, value);
  };
  // Every key holds one of these anchors: six searches instead of one per key. A key is tried at
  // the hits of the first anchor it holds, so never twice.
  static constexpr std::string_view kAnchors[] = {"name", "serial", "uuid", "udid", "reporter", "identifier"};
  for (std::string_view anchor : kAnchors) {
    for (size_t hit = Find(lower, anchor); hit != std::string_view::npos; hit = Find(lower, anchor, hit + 1)) {
      for (const KeyedField& field : kKeyedFields) {
        size_t offset = field.key.find(anchor);
        if (offset == std::string_view::npos || hit < offset) continue;
        bool earlier_anchor = false;
        for (std::string_view other : kAnchors) {
          if (other == anchor) break;
          earlier_anchor |= field.key.find(other) != std::string_view::npos;
        }
        if (!earlier_anchor && lower.substr(hit - offset).starts_with(field.key)) try_key(field, hit - offset);
      }
    }
  }
}

// A shell prompt at the start of a pasted line: "NAME@HOST ~ % …", "NAME@HOST:~$ …", "[NAME@HOST dir]$ …".
std::pair<std::string_view, std::string_view> PromptUserAndHost(std::string_view line) {
  size_t p = line.starts_with("[") ? 1 : 0;
  size_t user_start = p;
  while (p < line.size() && IsShortNameByte(line[p])) ++p;
  if (p == user_start || p >= line.size() || line[p] != '@') return {};
  std::string_view user = line.substr(user_start, p - user_start);
  size_t host_start = ++p;
  while (p < line.size() && (IsHostByte(line[p]) || line[p] == '.' || line[p] == '_')) ++p;
  std::string_view host = line.substr(host_start, p - host_start);
  if (host.empty() || p >= line.size() || (line[p] != ' ' && line[p] != ':')) return {};
  // The prompt ends in %, $ or # within a short working-directory part.
  std::string_view rest = line.substr(p, 64);
  size_t end = rest.find_first_of("%$#");
  if (end == std::string_view::npos || (end + 1 < rest.size() && rest[end + 1] != ' ')) return {};
  return {user, host};
}

// The host in legacy crash report names: "Messenger Helper_2016-02-29-112415-1_HOST.crash".
void FindCrashFileHosts(std::string_view line, std::vector<std::string_view>& found) {
  for (std::string_view ext : {std::string_view(".crash"), std::string_view(".hang"), std::string_view(".spin")}) {
    for (size_t pos = Find(line, ext); pos != std::string_view::npos; pos = Find(line, ext, pos + 1)) {
      size_t start = pos;
      while (start > 0 && IsHostByte(line[start - 1])) --start;
      if (start == pos || start < 19 || line[start - 1] != '_') continue;
      // …_YYYY-MM-DD-HHMMSS[-N]_
      size_t date_end = start - 1;
      size_t q = date_end;
      while (q > 0 && (IsAsciiDigit(line[q - 1]) || line[q - 1] == '-')) --q;
      std::string_view stamp = line.substr(q, date_end - q);
      if (stamp.size() < 17 || stamp[4] != '-' || stamp[7] != '-' || stamp[10] != '-') continue;
      found.push_back(line.substr(start, pos - start));
    }
  }
}

// Placeholders already in the text ("<user-1>"): kept as they are, so redacting twice changes nothing.
void FindPlaceholders(std::string_view line, std::vector<std::pair<size_t, size_t>>& found) {
  for (size_t open = line.find('<'); open != std::string_view::npos; open = line.find('<', open + 1)) {
    size_t close = line.find('>', open);
    if (close == std::string_view::npos) break;
    std::string_view inner = line.substr(open + 1, close - open - 1);
    size_t dash = inner.rfind('-');
    if (dash == std::string_view::npos || dash + 1 == inner.size()) continue;
    std::string_view stem = inner.substr(0, dash), number = inner.substr(dash + 1);
    if (!std::all_of(number.begin(), number.end(), IsAsciiDigit)) continue;
    for (size_t k = 0; k < kRedactedKindCount; ++k) {
      if (stem == RedactedKindName(static_cast<RedactedKind>(k))) found.emplace_back(open, close + 1);
    }
  }
}

}  // namespace tediag::redaction
