// A bundle's resource seal, _CodeSignature/CodeResources, checked against the files on disk
// as `codesign --verify` does: the v2 seal (`files2`, `rules2`: SHA-256 `hash2`, symlinks,
// nested code by cdhash) or, when a bundle has only that, the v1 seal (`files`, `rules`: SHA-1).
// A file the rules seal but the seal does not list is "added"; one whose hash or link target
// differs is "modified"; a listed one that is gone, and not optional, is "missing".
//
// Rules are regular expressions from the (untrusted) file, run with RE2 (linear time); the
// rule with the highest weight decides a path, as in Apple's resource builder. Costs one read
// and hash of every sealed file. Symlinks are never followed. Thread-safe (no state).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plist.h"

namespace tediag::inspect {

struct SealDifference {
  enum class Kind { kAdded, kModified, kMissing };
  Kind kind;
  std::string path;    // relative to the bundle's content folder ("Resources/en.lproj/x.nib")
  std::string detail;  // what differs
};

struct SealCheck {
  int version = 0;  // 2: files2/rules2; 1: files/rules only; 0: no usable seal
  size_t checked = 0;
  std::vector<SealDifference> differences;
  std::vector<std::string> problems;  // a rule that does not compile, an entry of the wrong type…
};

// The cdhashes (hex, one per slice) of the nested code at `path` (a bundle folder or a
// Mach-O file), or empty when it is not signed code.
using CdHashesOf = std::function<std::vector<std::string>(const std::filesystem::path& path)>;

// Checks `seal` (the parsed CodeResources) against the files under `content` (the bundle's
// Contents/ or its root). `skip` are paths relative to `content` that the signature covers in
// another way (the main executable).
SealCheck CheckResourceSeal(const PlistValue& seal, const std::filesystem::path& content,
                            const std::vector<std::string>& skip, const CdHashesOf& cdhashes_of);

// Whether a folder name is a code bundle's ("X.app", "Y.framework", "Z.xpc"…).
bool IsBundleName(const std::filesystem::path& name);

}  // namespace tediag::inspect
