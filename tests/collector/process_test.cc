// External commands: an argument vector, never a shell; output and exit status kept; a
// command that overstays is stopped with its whole process group.
#include "process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

namespace tediag::collector {
namespace {
using std::chrono::milliseconds;

TEST(ProcessTest, ArgumentsArriveAsGivenAndNoShellReadsThem) {
  absl::StatusOr<CommandResult> result =
      RunCommand({"/usr/bin/printf", "%s|", "x\"; rm -rf ~ #", "$(id)", "`id`"}, milliseconds(5000));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "x\"; rm -rf ~ #|$(id)|`id`|");
  EXPECT_EQ(result->status.code, 0);
}

TEST(ProcessTest, KeepsExitStatusAndMergesStderrInOrder) {
  absl::StatusOr<CommandResult> result =
      RunCommand({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, milliseconds(5000));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->output, "out\nerr\n");
  EXPECT_EQ(result->status.code, 3);
  EXPECT_EQ(result->status.Describe(), "exit status 3");

  absl::StatusOr<CommandResult> apart = RunCommand({"/bin/sh", "-c", "echo out; echo err >&2"}, milliseconds(5000),
                                                   /*merge_stderr=*/false);
  ASSERT_TRUE(apart.ok());
  EXPECT_EQ(apart->output, "out\n");
  EXPECT_EQ(apart->errors, "err\n");
}

TEST(ProcessTest, ATimeoutStopsTheWholeGroup) {
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<CommandResult> result =
      RunCommand({"/bin/sh", "-c", "sleep 30 & echo started; wait"}, milliseconds(500));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->status.signal, SIGKILL);
  EXPECT_EQ(result->output, "started\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ProcessTest, RefusesRelativePathsAndReportsMissingTools) {
  EXPECT_FALSE(ChildProcess::Start({"log", "stream"}).ok());
  absl::StatusOr<CommandResult> missing = RunCommand({"/nonexistent/codesign", "-dvvv"}, milliseconds(1000));
  if (missing.ok()) {
    EXPECT_EQ(missing->status.code, 127);  // a libc that reports exec failure as the child's exit
  } else {
    EXPECT_NE(missing.status().message().find("/nonexistent/codesign"), std::string::npos);
  }
}

}  // namespace
}  // namespace tediag::collector
