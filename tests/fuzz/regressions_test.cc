// Replays every input the fuzzers found (tests/fuzz-regressions/<target>/) through the same entry
// point the fuzzer used (fuzz/targets.h), on every ctest run: a crash, a sanitizer report or a
// hang that once was fixed fails here if it comes back.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "targets.h"
#include "test_support.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::Slurp;

fs::path RegressionRoot() { return fs::path(TEDIAG_SOURCE_DIR) / "tests" / "fuzz-regressions"; }

TEST(FuzzRegressions, EveryFolderNamesATarget) {
  ASSERT_TRUE(fs::is_directory(RegressionRoot()));
  for (const fs::directory_entry& entry : fs::directory_iterator(RegressionRoot())) {
    if (!entry.is_directory()) continue;
    EXPECT_NE(fuzz::FindTarget(entry.path().filename().string()), nullptr)
        << entry.path() << " is not the name of a fuzz target in fuzz/targets.cc";
  }
}

}  // namespace

namespace fuzz {
// Names the target in test output instead of printing its bytes.
void PrintTo(const Target& target, std::ostream* out) { *out << target.name; }
}  // namespace fuzz

namespace {

class Replay : public ::testing::TestWithParam<fuzz::Target> {};

TEST_P(Replay, EveryFoundInputRunsToTheEndQuickly) {
  const fuzz::Target& target = GetParam();
  fs::path folder = RegressionRoot() / std::string(target.name);
  if (!fs::is_directory(folder)) GTEST_SKIP() << "nothing found by fuzz-" << target.name << " yet";
  std::vector<fs::path> inputs;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& input : inputs) {
    SCOPED_TRACE(input.string());
    std::string data = Slurp(input);
    auto start = std::chrono::steady_clock::now();
    target.entry(data);
    // The fuzzers stop at 10 s per input (scripts/fuzz); a fixed input takes far less.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzz, Replay, ::testing::ValuesIn(fuzz::Targets()),
                         [](const ::testing::TestParamInfo<fuzz::Target>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace tediag
