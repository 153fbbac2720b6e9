// Fields: the named values of a record that rules test. This is the one place that knows a
// field's name; readers fill fields, rules name them, reports print them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tediag {

enum class Field : uint8_t {
  // Shared by log events and crash reports.
  kTimestamp,
  kProcess,      // process name ("amfid", "My App")
  kProcessPath,  // full path of the process image
  kPid,          // decimal
  kMessage,      // log: the event's message text; crash: empty
  // Log events.
  kSender,       // sender image name ("AppleMobileFileIntegrity", "Security")
  kSubsystem,    // "com.apple.TCC"
  kCategory,     // "access"
  kMessageType,  // Default | Info | Debug | Error | Fault
  kEventType,    // logEvent, activityCreateEvent, ...
  // Crash reports.
  kBundleId,
  kParent,                // parent process name
  kResponsible,           // responsible process name
  kOsVersion,             // "macOS 12.1 (21C52)"
  kExceptionType,         // "EXC_CRASH"
  kSignal,                // "SIGKILL (Code Signature Invalid)"
  kExceptionCodes,        // "0x0000000000000032, 0x000000010101c000"
  kExceptionSubtype,      // "UNKNOWN_0x32 at 0x000000010101c000"
  kTerminationNamespace,  // "CODESIGNING"
  kTerminationCode,       // decimal, "2"
  kTerminationIndicator,  // "Invalid Page"
  kTerminationDetails,    // what follows the reason: dyld's "Library not loaded … Reason: …", TCC's sentence
  kVmRegion,              // VM Region Info / the "-->" line of VM Regions Near: what the faulting address was in
  kAppSpecific,           // Application Specific Information and Signatures, one per line
  kFrames,                // crashed thread's frames, "image symbol" one per line
  kCodeSigningId,
  kTeamId,
  kCodeSigningFlags,    // "0x22020201 (valid, kill, linker-signed, ...)"
  kValidationCategory,  // "6 (developer-id)"
  // Tool outputs (notarytool log).
  kStatus,        // the submission's status: "Invalid", "Accepted", "Rejected"
  kPath,          // the file an issue is about
  kArchitecture,  // "x86_64", "arm64"
  kDocUrl,        // Apple's page for the issue
  kCount
};

inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

// The name used in rule files and reports ("process", "termination_code", ...).
std::string_view FieldName(Field field);
std::optional<Field> FieldFromName(std::string_view name);

// A record's field values: views into the input or into the record's owner.
using FieldValues = std::array<std::string_view, kFieldCount>;

}  // namespace tediag
