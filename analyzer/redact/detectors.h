// The redactor's detectors (private to redact/): scanners that find, in one line of text, the
// values that identify a person or a machine by their context (an e-mail address, a host column,
// a "Serial Number" field, a shell prompt …). Each appends views into `line` and allocates
// nothing else; `lower` is the same line in ASCII lower case, for the case-blind ones.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redact/redactor.h"

namespace tediag::redaction {

// A byte that continues a word (ASCII letters, digits, '_', and every byte of a multi-byte UTF-8
// character): a value is replaced only where its neighbours are not word bytes.
bool IsWordByte(char c);
// A byte of a short (account) user name.
bool IsShortNameByte(char c);
// Substring search through memmem; npos when absent.
size_t Find(std::string_view haystack, std::string_view needle, size_t from = 0);
// `line` in ASCII lower case, into `lower` (resized to fit).
void LowerInto(std::string_view line, std::string& lower);
// Words that look like values but are not private ("localhost", log levels, generic accounts).
bool IsNotPrivate(std::string_view lower);

// Calls `fn(line, ended)` for each line of `text`, without its '\n'; `ended` is false for a last
// line without one.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    fn(text.substr(start, end - start), end < text.size());
    start = end + 1;
  }
}

void FindEmails(std::string_view line, std::vector<std::string_view>& found);
void FindIpv4(std::string_view line, std::vector<std::string_view>& found);
void FindIpv6AndMac(std::string_view line, std::vector<std::string_view>& ips, std::vector<std::string_view>& macs);
void FindDotLocal(std::string_view lower, std::string_view line, std::vector<std::string_view>& found);
void FindModelHostNames(std::string_view lower, std::string_view line, std::vector<std::string_view>& found);
void FindComputerNames(std::string_view lower, std::string_view line, std::vector<std::string_view>& found);
// The host column of a syslog-style line, or empty.
std::string_view SyslogHost(std::string_view line);
// Values of the keyed fields that name a person or machine (Computer Name, Serial Number, …).
void FindKeyedValues(std::string_view lower, std::string_view line,
                     std::vector<std::pair<RedactedKind, std::string_view>>& found);
// The user and host of a shell prompt at the start of a pasted line, or empty views.
std::pair<std::string_view, std::string_view> PromptUserAndHost(std::string_view line);
// The host in a legacy crash report's file name ("App_2016-02-29-112415-1_HOST.crash").
void FindCrashFileHosts(std::string_view line, std::vector<std::string_view>& found);
// Placeholders already in the text ("<user-1>"), as [begin, end) offsets.
void FindPlaceholders(std::string_view line, std::vector<std::pair<size_t, size_t>>& found);

}  // namespace tediag::redaction
