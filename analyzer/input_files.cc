#include "input_files.h"
#include "archive_input.h"
#include "text_util.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>


namespace tediag {
namespace fs = std::filesystem;

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
      if (LooksLikeArchive(argument)) {
        AppendArchiveInputs(argument, ArchiveLimits{}, out);
        continue;
      }
      out.push_back({argument, false, {}});
      continue;
    }
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(argument, fs::directory_options::skip_permission_denied, ec);
    for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      if (!name.empty() && name[0] == '.') {  // hidden files and folders (.git, .DS_Store)
        if (entry.is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (entry.is_regular_file(ec)) files.push_back(entry.path().string());
    }
    if (ec) out.push_back({argument, false, StrCat("while walking the folder: ", ec.message())});
    std::sort(files.begin(), files.end());
    if (files.empty() && !ec) out.push_back({argument, false, "folder holds no files"});
    for (std::string& file : files) out.push_back({std::move(file), false, {}});
  }
  return out;
}

absl::StatusOr<std::string> ReadInput(const InputFile& input) {
  if (!input.problem.empty()) return absl::NotFoundError(input.problem);
  std::string data;
  if (input.content) {
    data = *input.content;
  } else if (input.stdin_) {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(input.path, std::ios::binary | std::ios::ate);
    if (!in) return absl::PermissionDeniedError(StrCat("cannot be read: ", std::strerror(errno)));
    std::streamoff size = in.tellg();
    if (size > 0) {
      data.resize(static_cast<size_t>(size));
      in.seekg(0);
      in.read(data.data(), size);
      data.resize(static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) return absl::DataLossError("read failed");
  }
  // Text never holds NUL bytes in its first kilobytes; Mach-O, PNG and archives do.
  std::string_view head = std::string_view(data).substr(0, 8192);
  if (head.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("binary file (not text, a log or a crash report); skipped");
  }
  return data;
}

}  // namespace tediag
