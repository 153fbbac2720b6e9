#include "input/input_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "input/archive_input.h"
#include "util/text_util.h"

namespace tediag {
namespace fs = std::filesystem;
namespace {

bool HoldsTracev3(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(".") && name.ends_with(".tracev3")) return true;
  }
  return false;
}

bool HoldsStores(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(dir / "logdata.LiveData.tracev3", ec)) return true;
  for (const char* store : {"Persist", "Special", "Signpost", "HighVolume"})
    if (HoldsTracev3(dir / store)) return true;
  return false;
}

bool IsTracev3(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  return name.ends_with(".tracev3") && !name.starts_with(".");
}

}  // namespace

bool IsUnifiedLogArchive(const std::string& dir) {
  std::error_code ec;
  fs::path path(dir);
  if (HoldsStores(path)) return true;
  return fs::is_directory(path / "uuidtext", ec) && HoldsStores(path / "Diagnostics");
}

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& arguments) {
  std::vector<InputFile> out;
  for (const std::string& argument : arguments) {
    if (argument == "-") {
      out.push_back({"(stdin)", true, {}});
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(argument, ec);
    if (ec || !fs::exists(status)) {
      out.push_back({argument, false, "no such file or folder"});
      continue;
    }
    if (!fs::is_directory(status)) {
      if (IsTracev3(argument)) {
        out.push_back({.path = argument, .unified_log = true});
        continue;
      }
      if (LooksLikeArchive(argument)) {
        AppendArchiveInputs(argument, ArchiveLimits{}, out);
        continue;
      }
      out.push_back({argument, false, {}});
      continue;
    }
    if (IsUnifiedLogArchive(argument)) {
      out.push_back({.path = argument, .unified_log = true});
      continue;
    }
    std::vector<std::string> files;
    std::vector<std::string> unified_logs;  // archives inside the folder (a sysdiagnose's), and lone .tracev3 files
    std::vector<InputFile> problems;
    fs::recursive_directory_iterator it(argument, fs::directory_options::skip_permission_denied, ec);
    for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      // A failed look at one entry (a symlink loop, a dangling link) is reported for that
      // entry alone; it must not end the walk.
      std::error_code entry_ec;
      if (!name.empty() && name[0] == '.') {  // hidden files and folders (.git, .DS_Store)
        if (entry.is_directory(entry_ec)) it.disable_recursion_pending();
        continue;
      }
      if (entry.is_directory(entry_ec) && IsUnifiedLogArchive(entry.path().string())) {
        unified_logs.push_back(entry.path().string());
        it.disable_recursion_pending();
      } else if (entry.is_regular_file(entry_ec)) {
        (IsTracev3(entry.path().string()) ? unified_logs : files).push_back(entry.path().string());
      } else if (entry_ec && entry.is_symlink(ec)) {
        problems.push_back({entry.path().string(), false, StrCat("symbolic link not followed: ", entry_ec.message())});
      }
    }
    if (ec) out.push_back({argument, false, StrCat("while walking the folder: ", ec.message())});
    std::sort(files.begin(), files.end());
    std::sort(unified_logs.begin(), unified_logs.end());
    if (files.empty() && unified_logs.empty() && !ec) out.push_back({argument, false, "folder holds no files"});
    for (std::string& file : files) out.push_back({std::move(file), false, {}});
    for (std::string& archive : unified_logs) out.push_back({.path = std::move(archive), .unified_log = true});
    for (InputFile& problem : problems) out.push_back(std::move(problem));
  }
  return out;
}

}  // namespace tediag
