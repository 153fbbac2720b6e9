// Timestamps as the readers keep them (log show styles, crash reports), normalised to ISO 8601.
#include "diagnose/timestamp.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

TEST(NormalizeTimestamp, GivesIso8601WithTheZoneWhenTheInputHasOne) {
  EXPECT_EQ(NormalizeTimestamp("2022-06-13 12:28:52.217259-0400"), "2022-06-13T12:28:52.217259-04:00");  // ndjson
  EXPECT_EQ(NormalizeTimestamp("2022-06-13 12:28:52.2172 -0400"), "2022-06-13T12:28:52.2172-04:00");     // .crash
  EXPECT_EQ(NormalizeTimestamp("2026-04-15T10:11:12Z"), "2026-04-15T10:11:12Z");
  EXPECT_EQ(NormalizeTimestamp("2026-04-15 10:11:12.00 +05:30"), "2026-04-15T10:11:12.00+05:30");
  EXPECT_EQ(NormalizeTimestamp("2024-01-12 10:11:12.123"), "2024-01-12T10:11:12.123");  // compact: no zone
}

TEST(NormalizeTimestamp, NothingWithoutAYear) {
  EXPECT_EQ(NormalizeTimestamp("Jun 13 12:28:52"), "");       // syslog style
  EXPECT_EQ(NormalizeTimestamp("10:21:02.243864+0100"), "");  // Console's copy: a time only
  EXPECT_EQ(NormalizeTimestamp(""), "");
  EXPECT_EQ(NormalizeTimestamp("2022-06-13"), "");
}

}  // namespace
}  // namespace tediag
