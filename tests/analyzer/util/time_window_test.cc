// --since / --until bounds in log show's forms, and the timestamps the readers hand over, as they
// are written in real inputs (tests/analyzer/read/golden: ndjson, default style, .ips, .crash).
#include "util/time_window.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

TEST(TimeWindow, BoundsTakeLogShowsFormsAndRefuseOthers) {
  ASSERT_TRUE(ParseWindowBound("2023-01-12").ok());
  ASSERT_TRUE(ParseWindowBound("2023-01-12 01:36:30").ok());
  ASSERT_TRUE(ParseWindowBound("2023-01-12 01:36:30+0000").ok());
  ASSERT_TRUE(ParseWindowBound("2023-01-12T01:36:30Z").ok());
  EXPECT_FALSE(ParseWindowBound("yesterday").ok());
  EXPECT_FALSE(ParseWindowBound("2023-13-01").ok());
  EXPECT_FALSE(ParseWindowBound("2023-01-12 01:36:30 and more").ok());
  EXPECT_NE(ParseWindowBound("12/01/2023").status().message().find("YYYY-MM-DD"), std::string_view::npos);
  // A date alone: its first microsecond for --since, its last for --until.
  EXPECT_EQ(FormatWallTime(*ParseWindowBound("2023-01-12")), "2023-01-12 00:00:00");
  EXPECT_EQ(FormatWallTime(*ParseWindowBound("2023-01-12", true)), "2023-01-12 23:59:59");
  EXPECT_EQ(FormatWallTime(*ParseWindowBound("2023-01-12 01:36:30-0800")), "2023-01-12 01:36:30-0800");
}

TEST(TimeWindow, RecordTimesAsTheReadersWriteThem) {
  std::optional<WallTime> ndjson = ParseWallTime("2022-06-13 12:28:52.217259-0400");
  ASSERT_TRUE(ndjson);
  EXPECT_TRUE(ndjson->zoned);
  EXPECT_EQ(ndjson->offset, -4 * 3600);
  EXPECT_EQ(ndjson->micros % 1000000, 217259);
  std::optional<WallTime> crash = ParseWallTime("2022-06-13 12:28:52.2172 -0400");  // .crash Date/Time
  ASSERT_TRUE(crash);
  EXPECT_EQ(crash->instant(), ndjson->instant() - 59);
  EXPECT_TRUE(ParseWallTime("2026-04-15T10:11:12Z"));
  EXPECT_FALSE(ParseWallTime("Jun 13 12:28:52"));  // syslog: no year
  EXPECT_FALSE(ParseWallTime(""));
}

TEST(TimeWindow, AZonedBoundIsAnInstantAndAPlainOneTheWrittenClock) {
  TimeWindow zoned;
  zoned.since = *ParseWindowBound("2022-06-13 16:28:00+0000");
  EXPECT_TRUE(zoned.Contains("2022-06-13 12:28:52.217259-0400"));   // 16:28:52 UTC
  EXPECT_FALSE(zoned.Contains("2022-06-13 12:27:59.000000-0400"));  // 16:27:59 UTC
  TimeWindow plain{.since = *ParseWindowBound("2022-06-13 12:28:00"),
                   .until = *ParseWindowBound("2022-06-13 12:29:00")};
  EXPECT_TRUE(plain.Contains("2022-06-13 12:28:52.217259-0400"));
  EXPECT_FALSE(plain.Contains("2022-06-13 12:29:00.000001-0400"));
  EXPECT_FALSE(plain.Contains("2022-06-13 12:27:59.999999+0900"));
  EXPECT_TRUE(plain.Contains("Jun 13 08:00:00"));  // no usable time: inside every window
  EXPECT_EQ(plain.Describe(), "since 2022-06-13 12:28:00 until 2022-06-13 12:29:00");
  EXPECT_TRUE(TimeWindow{}.empty());
}

}  // namespace
}  // namespace tediag
