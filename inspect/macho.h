// Mach-O headers and the load commands a signature check needs: fat (32- and 64-bit) and thin
// files, every slice; LC_CODE_SIGNATURE, the dylib commands, LC_RPATH, LC_BUILD_VERSION and
// LC_VERSION_MIN_MACOSX, and the __LINKEDIT segment (where the signature must lie).
//
// Input is untrusted: every offset is checked against the file (byte_reader.h). A file that is
// not Mach-O at all fails as a whole (InvalidArgument); a slice whose header or commands are
// broken is kept with its problems listed (each naming the byte offset), and the other slices
// are still read. Cost: one pass over the headers and load commands, no copy of the file. The
// result holds views into `file` (paths, names) and must not outlive it. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"

namespace tediag::inspect {

inline constexpr uint32_t kCpuTypeX86_64 = 0x01000007;
inline constexpr uint32_t kCpuTypeArm64 = 0x0100000c;

struct DylibCommand {
  uint32_t cmd = 0;       // LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_ID_DYLIB…
  std::string_view kind;  // "load", "weak", "reexport", "lazy", "upward", "id"
  std::string_view path;
};

struct MachOSlice {
  uint64_t offset = 0;  // in the file
  uint64_t size = 0;
  uint32_t cputype = 0;
  uint32_t cpusubtype = 0;
  bool is64 = false;
  uint32_t filetype = 0;  // MH_EXECUTE 2, MH_DYLIB 6, MH_BUNDLE 8…
  // LC_CODE_SIGNATURE: where the signature SuperBlob is, relative to the slice.
  std::optional<uint32_t> signature_offset;
  uint32_t signature_size = 0;
  std::optional<uint64_t> linkedit_end;  // __LINKEDIT fileoff + filesize, relative to the slice
  std::optional<uint64_t> text_offset;   // __TEXT fileoff and size (the CodeDirectory's exec segment)
  uint64_t text_size = 0;
  std::vector<DylibCommand> dylibs;
  std::vector<std::string_view> rpaths;
  // LC_BUILD_VERSION (platform, minos, sdk) or LC_VERSION_MIN_MACOSX (platform 1): X.Y.Z packed
  // as xxxx.yy.zz.
  std::optional<uint32_t> platform;
  std::optional<uint32_t> min_os;
  std::optional<uint32_t> sdk;
  std::vector<std::string> problems;  // "load command 12 at offset 0x…: cmdsize 0 …"

  std::string Architecture() const;  // "x86_64", "arm64", "arm64e", "i386", or "cpu 0x…/0x…"
  bool IsExecutable() const { return filetype == 2; }
};

struct MachOFile {
  bool fat = false;
  std::vector<MachOSlice> slices;
  std::vector<std::string> problems;  // about the fat header itself (overlapping or misaligned slices)
};

// Whether `file` starts with a Mach-O or fat magic number (cheap: four bytes).
bool LooksLikeMachO(Bytes file);

// Parses the headers of every slice of `file`.
absl::StatusOr<MachOFile> ParseMachO(Bytes file);

// "14.2.0"-style text of a packed version.
std::string VersionText(uint32_t packed);

// "macOS", "iOS", "Mac Catalyst"… for an LC_BUILD_VERSION platform number.
std::string_view PlatformName(uint32_t platform);

}  // namespace tediag::inspect
