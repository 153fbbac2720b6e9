// Crash report gathering: the app's own reports, written since the session began, Retired/ too.
#include "crash_reports.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

TEST(CrashReportsTest, TakesTheAppsNewReportsOnly) {
  fs::path dir = fs::temp_directory_path() / ("tediag-crash-" + std::to_string(::getpid()));
  fs::create_directories(dir / "Retired");
  auto touch = [&](const fs::path& path, fs::file_time_type when) {
    std::ofstream(path) << "Process: x\n";
    fs::last_write_time(path, when);
  };
  auto now = fs::file_time_type::clock::now();
  touch(dir / "Foo-2026-04-15-101112.ips", now);
  touch(dir / "Retired" / "Foo_2026-04-15-101000_MacBook.crash", now);
  touch(dir / "Foo-2020-01-01-000000.ips", now - std::chrono::hours(24 * 365));  // before the session
  touch(dir / "FooBar-2026-04-15-101112.ips", now);                              // another app
  touch(dir / "Foo-notes.txt", now);                                             // not a report

  CrashReportQuery query{
      {dir.string(), (dir / "missing").string()}, {"Foo"}, std::chrono::system_clock::now() - std::chrono::minutes(5)};
  std::vector<std::string> found = FindCrashReports(query);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{(dir / "Foo-2026-04-15-101112.ips").string(),
                                             (dir / "Retired" / "Foo_2026-04-15-101000_MacBook.crash").string()}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tediag::collector
