#include "tediag/record.h"

namespace tediag {

std::string_view RecordKindName(RecordKind kind) { return kind == RecordKind::kLogEvent ? "log" : "crash"; }

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kNdjson: return "ndjson";
    case InputFormat::kJson: return "json";
    case InputFormat::kDefault: return "default";
    case InputFormat::kCompact: return "compact";
    case InputFormat::kSyslog: return "syslog";
    case InputFormat::kText: return "text";
    case InputFormat::kIps: return "ips";
    case InputFormat::kCrash: return "crash";
    case InputFormat::kNotaryLog: return "notary-log";
    case InputFormat::kNotarytool: return "notarytool";
    case InputFormat::kCodesign: return "codesign";
    case InputFormat::kSpctl: return "spctl";
    case InputFormat::kXattr: return "xattr";
    case InputFormat::kStapler: return "stapler";
    case InputFormat::kSyspolicyCheck: return "syspolicy_check";
    case InputFormat::kTracev3: return "tracev3";
    case InputFormat::kUnknown:
    case InputFormat::kCount: break;
  }
  return "unknown";
}

}  // namespace tediag
