// FindArchiveLayout (archive_reader.h): where an archive's tracev3, uuidtext and timesync files are.
#include <algorithm>
#include <array>
#include <string_view>

#include "unified_log/archive_reader.h"

namespace tediag::unified_log {
namespace {

namespace fs = std::filesystem;

// The folders of tracev3 files, in the order they are read.
constexpr std::array<std::string_view, 4> kStores = {"Persist", "Special", "Signpost", "HighVolume"};

bool IsDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}
bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The files of `dir` whose name ends with `suffix`, AppleDouble "._*" and hidden files left out,
// in name order.
std::vector<fs::path> FilesEnding(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code file_ec;
    if (name.starts_with(".") || !name.ends_with(suffix) || !it->is_regular_file(file_ec)) continue;
    out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A folder holding tracev3 stores: a .logarchive, or /private/var/db/Diagnostics.
bool HoldsStores(const fs::path& dir) {
  for (std::string_view store : kStores)
    if (!FilesEnding(dir / store, ".tracev3").empty()) return true;
  return IsFile(dir / "logdata.LiveData.tracev3");
}

// A uuidtext folder: its dsc/ or one of its 00…FF/ folders.
bool IsUuidtext(const fs::path& dir) {
  if (IsDir(dir / "dsc")) return true;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    if (name.size() == 2 && hex(name[0]) && hex(name[1]) && IsDir(it->path())) return true;
  }
  return false;
}

fs::path FindUuidtext(const std::vector<fs::path>& candidates) {
  for (const fs::path& c : candidates)
    if (IsUuidtext(c)) return c;
  return {};
}

ArchiveLayout FromStores(const fs::path& root, const fs::path& stores, const std::vector<fs::path>& uuidtext) {
  ArchiveLayout layout;
  layout.root = root;
  for (std::string_view store : kStores) {
    std::vector<fs::path> files = FilesEnding(stores / store, ".tracev3");
    layout.tracev3.insert(layout.tracev3.end(), files.begin(), files.end());
  }
  if (IsFile(stores / "logdata.LiveData.tracev3")) layout.tracev3.push_back(stores / "logdata.LiveData.tracev3");
  layout.timesync = FilesEnding(stores / "timesync", ".timesync");
  layout.uuidtext = FindUuidtext(uuidtext);
  return layout;
}

}  // namespace

std::optional<ArchiveLayout> FindArchiveLayout(const fs::path& path) {
  if (IsFile(path)) {
    if (!path.filename().string().ends_with(".tracev3") || path.filename().string().starts_with("."))
      return std::nullopt;
    fs::path dir = path.parent_path(), up = dir.parent_path(), up2 = up.parent_path();
    ArchiveLayout layout;
    layout.root = path;
    layout.tracev3 = {path};
    for (const fs::path& d : {dir, up})
      if (layout.timesync.empty()) layout.timesync = FilesEnding(d / "timesync", ".timesync");
    layout.uuidtext = FindUuidtext({dir / "uuidtext", up / "uuidtext", up, up2 / "uuidtext", dir});
    return layout;
  }
  if (!IsDir(path)) return std::nullopt;
  if (HoldsStores(path)) return FromStores(path, path, {path, path / "uuidtext", path.parent_path() / "uuidtext"});
  if (HoldsStores(path / "Diagnostics")) return FromStores(path, path / "Diagnostics", {path / "uuidtext"});
  if (HoldsStores(path / "system_logs.logarchive")) {
    fs::path archive = path / "system_logs.logarchive";
    return FromStores(archive, archive, {archive});
  }
  return std::nullopt;
}

}  // namespace tediag::unified_log
