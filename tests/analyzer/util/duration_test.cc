// Durations as `--duration` and `--last` take them.
#include "util/duration.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {
using std::chrono::seconds;

TEST(ParseDurationTest, TakesTheFormsLogShowTakes) {
  EXPECT_EQ(*ParseDuration("90"), seconds(90));
  EXPECT_EQ(*ParseDuration("5s"), seconds(5));
  EXPECT_EQ(*ParseDuration("10m"), seconds(600));
  EXPECT_EQ(*ParseDuration("2h"), seconds(7200));
  EXPECT_EQ(*ParseDuration("1d"), seconds(86400));
}

TEST(ParseDurationTest, RefusesWhatLogWouldNotUnderstand) {
  for (const char* bad : {"", "s", "0s", "5x", "1.5m", "-3s", "10 m", "9999999999s"}) {
    absl::StatusOr<seconds> parsed = ParseDuration(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
  }
  EXPECT_EQ(ParseDuration("5x").status().message(), "'5x' is not a duration (e.g. 90s, 5m, 2h, 1d)");
}

}  // namespace
}  // namespace tediag
