// UtcIso8601 (analyzer/report/utc_time.h) on timestamps as the corpus's inputs write them, after
// NormalizeTimestamp (analyzer/diagnose/timestamp.h) has made them Evidence::time, as the
// diagnose stage does.
#include "report/utc_time.h"

#include <gtest/gtest.h>

#include "diagnose/timestamp.h"

namespace tediag {
namespace {

std::optional<std::string> Utc(std::string_view as_written) { return UtcIso8601(NormalizeTimestamp(as_written)); }

TEST(UtcIso8601, CrashReportDateTimeWithOffset) {
  // corpora/code-signature-invalid/sirikali-27.0-invalid-page/SiriKali.crash, "Date/Time:".
  EXPECT_EQ(Utc("2026-06-20 16:00:03.1135 +0300"), "2026-06-20T13:00:03.113Z");
}

TEST(UtcIso8601, LogShowDefaultStyleOffsetWithoutSpace) {
  // corpora/negative/sap-privileges-185-daemon-log-show-normal/issue.md, a `log show` line.
  EXPECT_EQ(Utc("2025-03-20 08:56:26.487991+0100"), "2025-03-20T07:56:26.487Z");
}

TEST(UtcIso8601, WestOfUtcCrossesMidnightAndMonth) {
  // Two-digit fraction as .ips headers write it ("2022-10-07 11:31:53.00 -0700"), moved late in the day.
  EXPECT_EQ(Utc("2022-10-31 23:31:53.00 -0700"), "2022-11-01T06:31:53.000Z");
  EXPECT_EQ(Utc("2024-02-29 00:10:00 +0100"), "2024-02-28T23:10:00.000Z");
}

TEST(UtcIso8601, ColonOffsetAndZulu) {
  EXPECT_EQ(Utc("2023-01-05T10:00:00.5+05:30"), "2023-01-05T04:30:00.500Z");
  EXPECT_EQ(Utc("2023-01-05T10:00:00Z"), "2023-01-05T10:00:00.000Z");
  EXPECT_EQ(UtcIso8601("2022-06-13T12:28:52.2172-04:00"), "2022-06-13T16:28:52.217Z");  // Evidence::time itself
}

TEST(UtcIso8601, NoInstantWithoutDateOrOffset) {
  EXPECT_EQ(Utc("10:21:02.243864+0100"), std::nullopt);       // Console copy: time only
  EXPECT_EQ(Utc("2022-06-13 12:28:52.217"), std::nullopt);    // compact style: no zone
  EXPECT_EQ(Utc("May  1 10:10:10"), std::nullopt);            // syslog style
  EXPECT_EQ(Utc("2023-02-30 10:00:00 +0000"), std::nullopt);  // no such day
  EXPECT_EQ(Utc("2023-01-05 10:00:00 +01"), std::nullopt);    // an hour-only zone is not kept
  EXPECT_EQ(UtcIso8601(""), std::nullopt);
}

}  // namespace
}  // namespace tediag
