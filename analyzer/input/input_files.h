// Turns the command line's INPUT arguments into readable inputs: files as given, folders walked
// recursively (in name order, symlinked folders not followed, so a link loop cannot trap the
// walk), "-" for standard input, zip and tar.gz archives expanded (archive_input.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tediag {

struct InputFile {
  std::string path;  // as shown in reports; "-" is shown as "(stdin)"
  bool stdin_ = false;
  std::string problem;  // set when the argument could not be expanded (missing path, ...)
  std::shared_ptr<const std::string> content = nullptr;  // already read (a member of an archive)
};

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& arguments);

}  // namespace tediag
