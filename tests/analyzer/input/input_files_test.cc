#include "input/input_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tediag {
namespace {

namespace fs = std::filesystem;

class InputFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tediag-input-files-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "b" / ".git");
    std::ofstream(dir_ / "b" / "z.log") << "text";
    std::ofstream(dir_ / "a.ips") << "{}";
    std::ofstream(dir_ / "b" / ".git" / "HEAD") << "ref";
    std::ofstream(dir_ / "binary.png", std::ios::binary) << std::string("\x89PNG\r\n\x1a\n\0\0\0", 11);
    fs::create_directory_symlink(dir_, dir_ / "b" / "loop");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(InputFilesTest, WalksFoldersInOrderSkippingHiddenAndLinkedFolders) {
  auto inputs = ExpandInputs({dir_.string(), "-", (dir_ / "missing").string()});
  std::vector<std::string> paths;
  for (const auto& input : inputs) paths.push_back(input.path);
  std::vector<std::string> expected = {(dir_ / "a.ips").string(), (dir_ / "b" / "z.log").string(),
                                       (dir_ / "binary.png").string(), "(stdin)", (dir_ / "missing").string()};
  EXPECT_EQ(paths, expected);
  EXPECT_TRUE(inputs[3].stdin_);
  EXPECT_EQ(inputs[4].problem, "no such file or folder");
}

}  // namespace
}  // namespace tediag
