// Redaction: makes a report (or any text) safe to paste into a ticket by replacing what identifies a
// person or a machine with stable placeholders, while keeping what a diagnosis needs.
//
// Replaced (placeholder → what):
//   <user-N>          a user's short name: learned from home folders (/Users/NAME/…, also JSON's
//                     \/Users\/NAME\/), shell prompts (NAME@HOST ~ %) and "User Name:"-style fields,
//                     then replaced wherever it is a word
//   <host-N>          host and computer names: the host column of syslog-style lines, shell prompts,
//                     legacy crash report names (App_2016-02-29-112415_HOST.crash), NAME.local,
//                     NAME-MacBook-Pro-style host names, "NAME's MacBook Pro"-style computer names,
//                     "Computer Name:", "hostname", "LocalHostName" fields
//   <email-N>         e-mail addresses
//   <ip-N>            IPv4 and IPv6 addresses (not loopback or unspecified ones)
//   <mac-N>           MAC (Ethernet/Wi-Fi) addresses
//   <serial-N>        hardware serial numbers ("Serial Number (system):", IOPlatformSerialNumber, …)
//   <machine-uuid-N>  UUIDs and keys that identify a machine: crashReporterKey, Anonymous UUID,
//                     Hardware UUID, Sleep/Wake UUID, deviceIdentifierForVendor, IOPlatformUUID, …
// Kept: bundle IDs (even one that contains the user's name), Team IDs, system paths (/System, /Library,
// /Applications, /usr, /var/folders…), error codes, binary image and process UUIDs, CDHashes, boot UUIDs.
//
// Contract: within one Redactor the same value (compared ignoring ASCII case) always becomes the same
// placeholder; a value is numbered when it is first replaced, so placeholders count up in reading
// order. A value is replaced wherever it
// appears as a whole token, not only where it was learned: a hardware UUID learned from a
// "Hardware UUID:" line is also replaced when it appears bare in a message. Redact() is idempotent
// (placeholders are never taken for values).
//
// Use on text (e.g. the collector redacting each file it writes into a bundle):
//   Redactor redactor;
//   for (const auto& file : files) redactor.Learn(file.text);     // learn from everything first…
//   for (auto& file : files) file.text = redactor.Redact(file.text);  // …so every file is redacted alike
//   Redaction summary = redactor.Summary();                          // what was replaced, to record
// Redact() alone also works: it learns from the text it is given before replacing.
//
// Use on a report: RedactReport(report) before rendering; it learns from and redacts every string an
// analysis put in the report (paths, app names, explanations, evidence, error messages) and records
// report.redaction, which every writer states. Rule-authored text (titles, fixes, references) is not
// changed. To also learn from whole inputs (a name revealed only by a line no rule matched), call
// Learn() on each input first: AnalyzeOptions::on_input_read is the hook for that.
//
// Costs: Learn() and Redact() scan text line by line, in time linear in its size times (for Redact)
// the number of values learned; memory is one line plus the output. Limits: a name is only known
// from the contexts above (a bare first name in prose is not), IPv4-shaped version numbers
// ("1.2.3.4") are replaced too, and a user name shorter than 3 characters is only replaced in paths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tediag/report.h"

namespace tediag {

enum class RedactedKind : uint8_t { kUser, kHost, kEmail, kIp, kMac, kSerial, kMachineUuid, kCount };
inline constexpr size_t kRedactedKindCount = static_cast<size_t>(RedactedKind::kCount);

// The placeholder's stem and the report's key: "user", "host", "email", "ip", "mac", "serial", "machine-uuid".
std::string_view RedactedKindName(RedactedKind kind);

// Not thread-safe: Learn() and Redact() change what it knows; one per report or bundle.
class Redactor {
 public:
  // Learns the private values `text` reveals by their context, without changing anything.
  void Learn(std::string_view text);

  // `text` with every value learned so far (and every value `text` itself reveals) replaced.
  std::string Redact(std::string_view text);

  // Learns from every analysis-provided string of `report`, redacts them all, and sets
  // report.redaction to what was replaced (kinds and counts; set even when nothing was).
  void RedactReport(Report& report);

  // What Redact() has replaced so far, per kind (only kinds with at least one value), in
  // RedactedKind order.
  Redaction Summary() const;

  // The placeholder a value was replaced with, or empty when it is unknown or not yet replaced (for
  // tests and callers that want to cross-reference).
  std::string PlaceholderFor(std::string_view value) const;

 private:
  struct Entry {
    RedactedKind kind;
    std::string value;        // lower-case
    std::string placeholder;  // "<user-1>", given when first replaced
    bool anywhere = true;     // false: a short user name, replaced only right after /Users/
    uint64_t occurrences = 0;
  };
  void LearnLines(std::string_view lines, std::string& lower);
  void Add(RedactedKind kind, std::string_view value, bool anywhere = false);
  void RedactLine(std::string_view line, std::string& lower, std::string& out);

  std::vector<Entry> entries_;
  absl::flat_hash_map<std::string, size_t> index_;  // lower-case value → entries_ index
  uint32_t next_number_[kRedactedKindCount] = {};
};

}  // namespace tediag
