#include "read/source_lines.h"

#include <algorithm>
#include <utility>

#include "read/ips_reader.h"
#include "read/json_scan.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Calls `on_key(key, depth, line, key_offset)` for every object key of `json`, in order: `key`
// as written (escapes not decoded), `depth` 1 for the outermost object's keys, `line` the key's
// line counted from `first_line`, and `key_offset` where its opening quote is.
// `on_open(depth, line)` is called when an object opens at `depth`.
// `on_key` returns false to stop the scan.
template <typename OnKey, typename OnOpen>
void ScanKeys(std::string_view json, uint64_t first_line, OnKey on_key, OnOpen on_open) {
  uint64_t line = first_line;
  size_t depth = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '\n') {
      ++line;
    } else if (c == '{' || c == '[') {
      ++depth;
      if (c == '{') on_open(depth, line);
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
    } else if (c == '"') {
      size_t start = i + 1, end = start;
      while (end < json.size() && json[end] != '"') {
        if (json[end] == '\\') ++end;
        if (end < json.size() && json[end] == '\n') ++line;  // not valid JSON, but cut text may hold it
        ++end;
      }
      if (end >= json.size()) return;
      size_t after = json.find_first_not_of(" \t\r\n", end + 1);
      if (after != std::string_view::npos && json[after] == ':') {
        if (!on_key(json.substr(start, end - start), depth, line, i)) return;
      }
      i = end;
    }
  }
}

uint64_t LineAt(std::string_view text, size_t from, size_t to, uint64_t line_at_from) {
  return line_at_from + static_cast<uint64_t>(std::count(text.begin() + static_cast<ptrdiff_t>(from),
                                                         text.begin() + static_cast<ptrdiff_t>(to), '\n'));
}

// The line of `text` holding text[offset], when it is short enough to quote as evidence (a
// pretty-printed body's `"termination" : {...},`); empty for the one long line of a compact body.
std::string_view ShortLineAt(std::string_view text, size_t offset) {
  constexpr size_t kMaxQuoted = 400;
  size_t start = text.rfind('\n', offset);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = StripWhitespace(text.substr(start, end - start));
  if (line.ends_with(",")) line.remove_suffix(1);
  return line.size() <= kMaxQuoted ? line : std::string_view{};
}

size_t LineCount(std::string_view value) {
  return value.empty() ? 0 : static_cast<size_t>(std::count(value.begin(), value.end(), '\n')) + 1;
}

}  // namespace

void LocateIpsFields(std::string_view body, uint64_t body_line, CrashReport& report) {
  FieldLines& lines = report.lines();
  struct Span {
    size_t offset = std::string_view::npos;
    uint64_t line = 0;
  };
  Span asi, signatures;
  // The scan stops once every key that holds a field the report has is found, or at "threads":
  // the keys read here come before the bulk of a body (threads, images) in the reports Apple writes.
  std::span<const IpsKeyField> keys = IpsBodyKeys();
  std::vector<bool> wanted(keys.size());
  size_t missing = 0;
  for (size_t k = 0; k < keys.size(); ++k) {
    wanted[k] = !report[keys[k].field].empty();
    missing += wanted[k];
  }
  bool want_asi = !report[Field::kAppSpecific].empty();
  ScanKeys(
      body, body_line,
      [&](std::string_view key, size_t depth, uint64_t line, size_t key_offset) {
        if (depth != 1) return true;
        if (key == "asi") asi = {key_offset, line};
        if (key == "asiSignatures") signatures = {key_offset, line};
        for (size_t k = 0; k < keys.size(); ++k) {
          if (keys[k].key != key) continue;
          std::vector<SourceLine>& located = lines.of[static_cast<size_t>(keys[k].field)];
          located.assign(LineCount(report[keys[k].field]), SourceLine{line, ShortLineAt(body, key_offset)});
          if (wanted[k]) --missing;
          wanted[k] = false;
        }
        // Apple writes the threads and images, the bulk of a body, after every key read here.
        if (key == "threads") return false;
        return missing > 0 || (want_asi && asi.offset == std::string_view::npos) || (want_asi && key == "asi");
      },
      [](size_t, uint64_t) {});

  // Application-specific lines: each at its own string when it is written as read (no escapes),
  // else at the line of the key that holds it.
  std::string_view value = report[Field::kAppSpecific];
  if (value.empty() || (asi.offset == std::string_view::npos && signatures.offset == std::string_view::npos)) return;
  std::vector<SourceLine>& located = lines.of[static_cast<size_t>(Field::kAppSpecific)];
  located.clear();
  Span from = asi.offset != std::string_view::npos ? asi : signatures;
  size_t search = from.offset;
  uint64_t search_line = from.line;
  // Each line is looked for in a window after the previous one, for a bounded number of lines.
  constexpr size_t kWindow = 64 * 1024, kMostSearched = 200;
  auto find = [&](std::string_view probe, size_t at) {
    if (probe.empty() || probe.find_first_of("\"\\") != std::string_view::npos) return std::string_view::npos;
    return body.substr(0, std::min(body.size(), at + kWindow)).find(StrCat("\"", probe), at);
  };
  size_t searched = 0;
  for (std::string_view sub : Split(value, '\n')) {
    std::string_view probe = ++searched <= kMostSearched ? sub.substr(0, 60) : std::string_view{};
    size_t found = find(probe, search);
    if (found == std::string_view::npos && signatures.offset != std::string_view::npos && signatures.offset > search) {
      search = signatures.offset;  // the signatures follow the asi lines
      search_line = signatures.line;
      found = find(probe, search);
    }
    if (found == std::string_view::npos) {
      located.push_back({search_line, {}});
      continue;
    }
    search_line = LineAt(body, search, found, search_line);
    search = found;
    located.push_back({search_line, ShortLineAt(body, found)});
  }
}

NotaryLogLines LocateNotaryLogLines(std::string_view json, uint64_t line) {
  // The root object is depth 1, the issues array 2, each issue object (and its keys) 3.
  NotaryLogLines out;
  bool in_issues = false;
  bool have_message = false;
  ScanKeys(
      json, line,
      [&](std::string_view key, size_t depth, uint64_t key_line, size_t) {
        if (depth == 1) {
          in_issues = key == "issues";
          if (key == "status" && out.status == 0) out.status = key_line;
        } else if (in_issues && depth == 3 && key == "message" && !have_message && !out.issues.empty()) {
          out.issues.back() = key_line;
          have_message = true;
        }
        return true;
      },
      [&](size_t depth, uint64_t open_line) {
        if (in_issues && depth == 3) {
          out.issues.push_back(open_line);
          have_message = false;
        }
      });
  return out;
}

}  // namespace tediag
