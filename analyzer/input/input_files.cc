#include "input/input_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "input/archive_input.h"
#include "input/sysdiagnose.h"
#include "util/text_util.h"

namespace tediag {
namespace fs = std::filesystem;
namespace {

// "x.logarchive" for "a/x.logarchive/" as for "a/x.logarchive".
std::string FolderName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return fs::path(std::string(path)).filename().string();
}

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

// The sysdiagnoses met in a folder walk, and how many of their files were left out.
struct Sysdiagnoses {
  std::vector<std::pair<std::string, uint64_t>> roots;

  void Enter(const fs::path& folder) {
    if (!IsSysdiagnoseFolder(folder)) return;
    std::string root = folder.string();
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    roots.push_back({root + "/", 0});
  }
  // Whether `file` is read: anything outside a sysdiagnose; inside one, a crash report only.
  bool Reads(const std::string& file) {
    for (auto& [root, count] : roots) {
      if (!file.starts_with(root)) continue;
      if (FileLooksLikeCrashReport(file)) return true;
      ++count;
      return false;
    }
    return true;
  }
  void Report(std::vector<InputFile>& out) const {
    for (const auto& [root, count] : roots)
      if (count != 0) out.push_back({root.substr(0, root.size() - 1), false, SysdiagnoseNotRead(count)});
  }
};

// Walks one folder named on the command line into `out`.
void ExpandFolder(const std::string& argument, std::vector<InputFile>& out, const ReadProgress& progress) {
  std::vector<std::string> files;
  std::vector<InputFile> problems;  // and unified log archives
  Sysdiagnoses sysdiagnoses;
  sysdiagnoses.Enter(argument);
  std::error_code ec;
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
    if (entry.is_directory(entry_ec) && !entry.is_symlink(entry_ec) && IsUnifiedLogArchive(entry.path().string())) {
      it.disable_recursion_pending();  // read by its own reader, as a whole (a sysdiagnose's system_logs)
      problems.push_back(UnifiedLogInput(entry.path().string()));
    } else if (entry.is_directory(entry_ec)) {
      sysdiagnoses.Enter(entry.path());
    } else if (entry.is_regular_file(entry_ec) && IsTracev3(entry.path().string())) {
      problems.push_back({.path = entry.path().string(), .unified_log = true});
    } else if (entry.is_regular_file(entry_ec)) {
      if (sysdiagnoses.Reads(entry.path().string())) files.push_back(entry.path().string());
    } else if (entry_ec && entry.is_symlink(ec)) {
      problems.push_back({entry.path().string(), false, StrCat("symbolic link not followed: ", entry_ec.message())});
    }
  }
  if (ec) out.push_back({argument, false, StrCat("while walking the folder: ", ec.message()), nullptr, true});
  std::sort(files.begin(), files.end());
  if (files.empty() && problems.empty() && sysdiagnoses.roots.empty() && !ec)
    out.push_back({argument, false, "folder holds no files", nullptr, true});
  for (std::string& file : files) {
    if (LooksLikeArchive(file)) {
      AppendArchiveInputs(file, ArchiveLimits{}, out, progress);  // read as if it had been named
    } else {
      out.push_back({.path = std::move(file)});
    }
  }
  sysdiagnoses.Report(problems);
  for (InputFile& later : problems) out.push_back(std::move(later));  // log archives and problems, after the files
}

}  // namespace

bool IsUnifiedLogArchive(const std::string& folder) {
  std::error_code ec;
  fs::path path(folder);
  if (FolderName(folder).ends_with(".logarchive") || HoldsStores(path)) return true;
  return fs::is_directory(path / "uuidtext", ec) && HoldsStores(path / "Diagnostics");
}

bool IsReadableUnifiedLog(const std::string& folder) {
  std::error_code ec;
  fs::path path(folder);
  return HoldsStores(path) || (fs::is_directory(path / "uuidtext", ec) && HoldsStores(path / "Diagnostics"));
}

std::string_view UnifiedLogArchivePrefix(std::string_view member) {
  size_t at = member.find(".logarchive/");
  return at == std::string_view::npos ? std::string_view()
                                      : member.substr(0, at + std::string_view(".logarchive").size());
}

std::string UnifiedLogArchiveProblem(std::string_view name) {
  std::string shown(name.empty() ? std::string_view("X.logarchive") : name);
  if (!shown.ends_with(".logarchive")) shown = "X.logarchive";
  return StrCat(
      "a unified log archive that tediag cannot read here (inside an archive file, or without its tracev3 "
      "files); on a Mac, convert it to text with `log show --archive ",
      shown, " --style ndjson > log.ndjson` and analyse log.ndjson");
}

InputFile UnifiedLogInput(const std::string& folder) {
  if (IsReadableUnifiedLog(folder)) return {.path = folder, .unified_log = true};
  return {.path = folder, .problem = UnifiedLogArchiveProblem(FolderName(folder))};
}

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& arguments, const ReadProgress& progress) {
  std::vector<InputFile> out;
  for (const std::string& argument : arguments) {
    if (argument == "-") {
      out.push_back({.path = "(stdin)", .stdin_ = true, .named = true});
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(argument, ec);
    if (ec || !fs::exists(status)) {
      out.push_back({.path = argument, .problem = "no such file or folder", .named = true});
    } else if (fs::is_directory(status) && IsUnifiedLogArchive(argument)) {
      InputFile archive = UnifiedLogInput(argument);
      archive.named = true;
      out.push_back(std::move(archive));
    } else if (fs::is_directory(status)) {
      ExpandFolder(argument, out, progress);
    } else if (IsTracev3(argument)) {
      out.push_back({.path = argument, .named = true, .unified_log = true});
    } else if (LooksLikeArchive(argument)) {
      size_t first = out.size();
      AppendArchiveInputs(argument, ArchiveLimits{}, out, progress);
      for (size_t i = first; i < out.size(); ++i) out[i].named = out[i].path == argument;  // its own problem
    } else {
      out.push_back({.path = argument, .named = true});
    }
  }
  return out;
}

uint64_t KnownSize(const InputFile& input) {
  if (input.content) return input.content->size();
  if (!input.problem.empty()) return 0;
  struct stat info {};
  const std::string& on_disk = input.location.empty() ? input.path : input.location;
  int rc = input.stdin_ ? ::fstat(STDIN_FILENO, &info) : ::stat(on_disk.c_str(), &info);
  return rc == 0 && S_ISREG(info.st_mode) ? static_cast<uint64_t>(info.st_size) : 0;
}

}  // namespace tediag
