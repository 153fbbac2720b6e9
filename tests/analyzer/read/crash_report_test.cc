#include "tediag/crash_report.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

struct TerminationCase {
  const char* text;
  const char* ns;
  const char* code;
  const char* indicator;
};

TEST(CrashReport, ReadsEveryTerminationReasonForm) {
  const TerminationCase cases[] = {
      {"Namespace CODESIGNING, Code 0x1", "CODESIGNING", "1", ""},
      {"Namespace CODESIGNING, Code 2, Invalid Page", "CODESIGNING", "2", "Invalid Page"},
      {"Namespace CODESIGNING, Code 2 Invalid Page", "CODESIGNING", "2", "Invalid Page"},
      {"CODESIGNING 4 Launch Constraint Violation", "CODESIGNING", "4", "Launch Constraint Violation"},
      {"CODESIGNING 1 ", "CODESIGNING", "1", ""},
      {"Namespace SIGNAL, Code 0xb", "SIGNAL", "11", ""},
      {"Namespace SIGNAL, Code 4 Illegal instruction: 4", "SIGNAL", "4", "Illegal instruction: 4"},
      {"Code 5 Trace/BPT trap: 5", "", "5", "Trace/BPT trap: 5"},
  };
  for (const TerminationCase& c : cases) {
    CrashReport report;
    report.SetTerminationText(c.text);
    EXPECT_EQ(report[Field::kTerminationNamespace], c.ns) << c.text;
    EXPECT_EQ(report[Field::kTerminationCode], c.code) << c.text;
    EXPECT_EQ(report[Field::kTerminationIndicator], c.indicator) << c.text;
  }
}

TEST(CrashReport, DecodesCodeSigningFlagsAndCategory) {
  CrashReport report;
  report.SetCodeSigningFlags(570556929);  // 0x22020201, a linker-signed local build
  EXPECT_EQ(report[Field::kCodeSigningFlags], "0x22020201 (valid, kill, linker-signed, no-untrusted-helpers, signed)");
  report.SetValidationCategory(6);
  EXPECT_EQ(report[Field::kValidationCategory], "6 (developer-id)");
  report.SetValidationCategory(99);
  EXPECT_EQ(report[Field::kValidationCategory], "99 (unknown)");
}

TEST(CrashReport, SummaryNamesExceptionAndTermination) {
  CrashReport report;
  report[Field::kExceptionType] = "EXC_CRASH";
  report[Field::kSignal] = "SIGKILL (Code Signature Invalid)";
  report.SetTerminationText("CODESIGNING 1 Taskgated Invalid Signature");
  Record record = report.ToRecord();
  EXPECT_EQ(record.kind, RecordKind::kCrashReport);
  EXPECT_EQ(
      record.text,
      "Exception EXC_CRASH (SIGKILL (Code Signature Invalid)); Termination CODESIGNING 1 Taskgated Invalid Signature");
  EXPECT_EQ(record.Get(Field::kTerminationCode), "1");
}

}  // namespace
}  // namespace tediag
