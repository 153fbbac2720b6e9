#include "input/input_files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "input/archive_input.h"

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
  EXPECT_FALSE(inputs[0].named) << "found in a folder";
  EXPECT_TRUE(inputs[3].named);
  EXPECT_TRUE(inputs[4].named);
}

// Progress knows the total of a regular file given on standard input (`tediag analyze < x.log`).
TEST_F(InputFilesTest, KnowsTheSizeOfAFileOnStandardInput) {
  int saved = ::dup(STDIN_FILENO);
  int file = ::open((dir_ / "b" / "z.log").c_str(), O_RDONLY);
  ASSERT_GE(file, 0);
  ::dup2(file, STDIN_FILENO);
  uint64_t size = KnownSize(ExpandInputs({"-"})[0]);
  ::dup2(saved, STDIN_FILENO);
  ::close(file);
  ::close(saved);
  EXPECT_EQ(size, 4u);
  EXPECT_EQ(KnownSize(ExpandInputs({(dir_ / "a.ips").string()})[0]), 2u);
  EXPECT_EQ(KnownSize(ExpandInputs({(dir_ / "missing").string()})[0]), 0u);
}

TEST_F(InputFilesTest, RecognisesAUnifiedLogArchiveByNameOrLayout) {
  fs::create_directories(dir_ / "x.logarchive");
  fs::create_directories(dir_ / "renamed" / "Persist");
  std::ofstream(dir_ / "renamed" / "Info.plist") << "<plist/>";
  std::ofstream(dir_ / "renamed" / "Persist" / "0000000000000001.tracev3") << "x";
  EXPECT_TRUE(IsUnifiedLogArchive((dir_ / "x.logarchive").string()));
  EXPECT_TRUE(IsUnifiedLogArchive((dir_ / "x.logarchive").string() + "/"));
  EXPECT_TRUE(IsUnifiedLogArchive((dir_ / "renamed").string()));
  EXPECT_FALSE(IsUnifiedLogArchive((dir_ / "b").string()));
  EXPECT_EQ(UnifiedLogArchivePrefix("sysdiagnose_x/system_logs.logarchive/Persist/1.tracev3"),
            "sysdiagnose_x/system_logs.logarchive");
  EXPECT_EQ(UnifiedLogArchivePrefix("sysdiagnose_x/logs/x.log"), "");
  auto inputs = ExpandInputs({dir_.string()});
  size_t archives = 0;
  for (const auto& input : inputs) {
    // The one with tracev3 stores goes to the unified log reader; the empty .logarchive is a problem.
    archives += input.unified_log || input.problem.find("unified log archive") != std::string::npos;
  }
  EXPECT_EQ(archives, 2u) << "each archive once, none of its files";
}

TEST(ArchiveMagic, KnowsEveryArchiveItReads) {
  EXPECT_TRUE(LooksLikeArchiveData(std::string_view("PK\x03\x04rest", 8)));
  EXPECT_TRUE(LooksLikeArchiveData("\x1f\x8b\x08"));
  EXPECT_TRUE(
      LooksLikeArchiveData("\xfd"
                           "7zXZ"));
  EXPECT_TRUE(LooksLikeArchiveData("BZh91AY"));
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  EXPECT_TRUE(LooksLikeArchiveData(tar));
  EXPECT_FALSE(LooksLikeArchiveData("Process:   Kap [1234]\n"));
  EXPECT_FALSE(LooksLikeArchiveData(""));
}

}  // namespace
}  // namespace tediag
