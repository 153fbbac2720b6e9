// Temporary folders: private, removed when let go, and the folders of a run that was killed
// removed by the next one, never those of a process that still runs.
#include "util/temp_folder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "test_support.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;

// The PID of a process that has exited and been reaped: one that no longer runs.
pid_t GonePid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(TempFolder, IsPrivateAndGoesWithItsLastHolder) {
  fs::path where;
  {
    absl::StatusOr<std::shared_ptr<TempFolder>> folder = TempFolder::Create("test");
    ASSERT_TRUE(folder.ok()) << folder.status();
    where = (*folder)->path();
    EXPECT_EQ(where.filename().string().rfind("tediag-test-" + std::to_string(::getpid()) + "-", 0), 0u) << where;
    struct stat st {};
    ASSERT_EQ(::stat(where.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_TRUE((*folder)->Inside("a/../b").empty());
    fs::create_directories((*folder)->Inside("x/y"));
    std::ofstream((*folder)->Inside("x/y/z.txt")) << "data";
  }
  EXPECT_FALSE(fs::exists(where));
}

TEST(TempFolder, AKilledRunsFolderIsRemovedAndALiveOnesIsKept) {
  fs::path base = testing::ScratchDir("temp-folder-sweep");
  fs::path abandoned = base / ("tediag-unpack-" + std::to_string(GonePid()) + "-Ab12Cd");
  fs::path alive = base / ("tediag-inspect-" + std::to_string(::getppid()) + "-Ef34Gh");
  fs::path mine = base / ("tediag-unpack-" + std::to_string(::getpid()) + "-Ij56Kl");
  fs::path other = base / "tediag-notes";
  for (const fs::path& p : {abandoned, alive, mine, other}) fs::create_directories(p / "inside");
  std::ofstream(abandoned / "inside" / "Persist.tracev3") << "x";
  EXPECT_EQ(RemoveAbandonedTempFolders(base), 1u);
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_TRUE(fs::exists(other));
}

}  // namespace
}  // namespace tediag
