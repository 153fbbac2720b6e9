// Mach-O header and load-command parsing. Layouts: <mach-o/loader.h> and <mach-o/fat.h>
// (public facts: the magic numbers, the fat_arch fields, each load command's fields).
#include "macho.h"

#include <algorithm>

#include "fmt/core.h"

namespace tediag::inspect {
namespace {

constexpr uint32_t kFatMagic = 0xcafebabe;
constexpr uint32_t kFatMagic64 = 0xcafebabf;
constexpr uint32_t kMachMagic = 0xfeedface;
constexpr uint32_t kMachMagic64 = 0xfeedfacf;
constexpr uint32_t kMaxFatArchs = 64;  // more is not a Mach-O (a Java class also starts 0xcafebabe)
constexpr uint32_t kMaxLoadCommands = 1u << 16;

constexpr uint32_t kLcSegment = 0x1, kLcSegment64 = 0x19, kLcCodeSignature = 0x1d, kLcRpath = 0x8000001c;
constexpr uint32_t kLcBuildVersion = 0x32, kLcVersionMinMacosx = 0x24;

struct DylibKind {
  uint32_t cmd;
  std::string_view name;
};
constexpr DylibKind kDylibKinds[] = {
    {0xc, "load"}, {0x80000018, "weak"}, {0x8000001f, "reexport"}, {0x20, "lazy"}, {0x80000023, "upward"}, {0xd, "id"},
};

struct ArchName {
  uint32_t cputype;
  uint32_t subtype;  // low byte of cpusubtype; 0xff: any
  std::string_view name;
};
constexpr ArchName kArchNames[] = {
    {kCpuTypeArm64, 2, "arm64e"},
    {kCpuTypeArm64, 0xff, "arm64"},
    {kCpuTypeX86_64, 0xff, "x86_64"},
    {7, 0xff, "i386"},
    {12, 0xff, "arm"},
    {18, 0xff, "ppc"},
    {0x01000012, 0xff, "ppc64"},
    {0x0200000c, 0xff, "arm64_32"},
};

// The load command's lc_str at `name_field` (an offset from the command's start) as a string
// inside the command.
std::optional<std::string_view> CommandString(Bytes command, ByteReader field) {
  uint32_t offset = field.U32();
  if (!field.ok() || offset >= command.size()) return std::nullopt;
  return CString(command, offset);
}

void ReadSegment(Bytes command, bool is64, MachOSlice& slice) {
  ByteReader r(AsText(command));
  r.Skip(8);
  std::string_view name = r.Bytes(16);
  std::string_view segname = name.substr(0, name.find('\0'));
  r.Skip(is64 ? 16 : 8);  // vmaddr, vmsize
  uint64_t fileoff = is64 ? r.U64() : r.U32();
  uint64_t filesize = is64 ? r.U64() : r.U32();
  if (!r.ok()) return;
  if (segname == "__LINKEDIT") {
    slice.linkedit_end = fileoff + std::min<uint64_t>(filesize, UINT64_MAX - fileoff);
  } else if (segname == "__TEXT") {
    slice.text_offset = fileoff;
    slice.text_size = filesize;
  }
}

void ReadCommand(uint32_t cmd, Bytes command, MachOSlice& slice, uint64_t at) {
  ByteReader body(AsText(command));
  body.Skip(8);
  for (const DylibKind& kind : kDylibKinds) {
    if (kind.cmd != cmd) continue;
    if (auto path = CommandString(command, body)) {
      slice.dylibs.push_back({cmd, kind.name, *path});
    } else {
      slice.problems.push_back(fmt::format("dylib command at offset {:#x}: name outside the command", at));
    }
    return;
  }
  switch (cmd) {
    case kLcSegment:
    case kLcSegment64: ReadSegment(command, cmd == kLcSegment64, slice); break;
    case kLcCodeSignature: {
      uint32_t off = body.U32(), size = body.U32();
      if (!body.ok()) {
        slice.problems.push_back(fmt::format("LC_CODE_SIGNATURE at offset {:#x} is truncated", at));
      } else {
        slice.signature_offset = off;
        slice.signature_size = size;
      }
      break;
    }
    case kLcRpath:
      if (auto path = CommandString(command, body)) slice.rpaths.push_back(*path);
      break;
    case kLcBuildVersion: {
      uint32_t platform = body.U32(), minos = body.U32(), sdk = body.U32();
      if (body.ok()) slice.platform = platform, slice.min_os = minos, slice.sdk = sdk;
      break;
    }
    case kLcVersionMinMacosx: {
      uint32_t version = body.U32(), sdk = body.U32();
      if (body.ok() && !slice.platform) slice.platform = 1, slice.min_os = version, slice.sdk = sdk;
      break;
    }
    default: break;
  }
}

// Reads one thin Mach-O image: `image` is the slice's bytes, `base` its offset in the file.
MachOSlice ReadThin(Bytes image, uint64_t base) {
  MachOSlice slice;
  slice.offset = base;
  slice.size = image.size();
  ByteReader r(AsText(image));
  uint32_t magic = r.U32();
  if (!r.ok() || (magic != kMachMagic && magic != kMachMagic64)) {
    slice.problems.push_back(fmt::format("no Mach-O header at offset {:#x}", base));
    return slice;
  }
  slice.is64 = magic == kMachMagic64;
  uint32_t cputype = r.U32(), subtype = r.U32(), filetype = r.U32(), ncmds = r.U32(), sizeofcmds = r.U32();
  r.Skip(slice.is64 ? 8 : 4);
  if (!r.ok()) {
    slice.problems.push_back(fmt::format("Mach-O header at offset {:#x} is truncated", base));
    return slice;
  }
  slice.cputype = cputype, slice.cpusubtype = subtype, slice.filetype = filetype;
  auto commands = SubSpan(image, r.pos(), sizeofcmds);
  if (!commands) {
    slice.problems.push_back(
        fmt::format("load commands at offset {:#x} ({} bytes) run past the slice's end", base + r.pos(), sizeofcmds));
    commands = image.subspan(r.pos());
  }
  uint64_t cursor = 0;
  for (uint32_t i = 0; i < std::min(ncmds, kMaxLoadCommands); ++i) {
    if (cursor > commands->size()) break;
    ByteReader lc(AsText(*commands));
    uint64_t at = base + r.pos() + cursor;
    lc.Seek(cursor);
    uint32_t cmd = lc.U32(), cmdsize = lc.U32();
    if (!lc.ok() || cmdsize < 8 || cmdsize > commands->size() - cursor) {
      slice.problems.push_back(fmt::format("load command {} at offset {:#x} is truncated or has a bad size", i, at));
      break;
    }
    ReadCommand(cmd, commands->subspan(cursor, cmdsize), slice, at);
    cursor += cmdsize;
  }
  return slice;
}

void ReadFat(Bytes file, bool fat64, uint32_t count, MachOFile& out) {
  BigEndianReader r(AsText(file));
  r.Skip(8);
  uint64_t previous_end = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t cputype = r.U32();
    r.Skip(4);  // cpusubtype
    uint64_t offset = fat64 ? r.U64() : r.U32();
    uint64_t size = fat64 ? r.U64() : r.U32();
    uint32_t align = r.U32();
    if (fat64) r.Skip(4);
    if (!r.ok()) {
      out.problems.push_back(fmt::format("fat header: slice {} is truncated", i));
      return;
    }
    auto bytes = SubSpan(file, offset, size);
    if (!bytes) {
      out.problems.push_back(fmt::format(
          "fat header: slice {} at offset {:#x} ({} bytes) runs past the end of the file", i, offset, size));
      continue;
    }
    if (offset < previous_end) out.problems.push_back(fmt::format("fat header: slice {} overlaps the one before", i));
    if (align < 32 && (offset & ((uint64_t{1} << align) - 1)) != 0)
      out.problems.push_back(fmt::format("fat header: slice {} at {:#x} is not aligned to 2^{}", i, offset, align));
    previous_end = offset + size;
    MachOSlice slice = ReadThin(*bytes, offset);
    if (slice.cputype != cputype && slice.problems.empty())
      slice.problems.push_back(
          fmt::format("fat header names cpu {:#x} but the slice at {:#x} is {:#x}", cputype, offset, slice.cputype));
    out.slices.push_back(std::move(slice));
  }
}

}  // namespace

std::string MachOSlice::Architecture() const {
  for (const ArchName& a : kArchNames) {
    if (a.cputype == cputype && (a.subtype == 0xff || a.subtype == (cpusubtype & 0xff))) return std::string(a.name);
  }
  return fmt::format("cpu {:#x}/{:#x}", cputype, cpusubtype);
}

bool LooksLikeMachO(Bytes file) {
  if (file.size() < 4) return false;
  uint32_t be = LoadBe32(file.data());
  if (be == kFatMagic || be == kFatMagic64) return file.size() >= 8 && LoadBe32(file.data() + 4) <= kMaxFatArchs;
  uint32_t le = uint32_t{file[0]} | uint32_t{file[1]} << 8 | uint32_t{file[2]} << 16 | uint32_t{file[3]} << 24;
  return le == kMachMagic || le == kMachMagic64;
}

absl::StatusOr<MachOFile> ParseMachO(Bytes file) {
  if (!LooksLikeMachO(file)) return absl::InvalidArgumentError("not a Mach-O file (no Mach-O or fat magic number)");
  MachOFile out;
  uint32_t be = LoadBe32(file.data());
  if (be == kFatMagic || be == kFatMagic64) {
    out.fat = true;
    ReadFat(file, be == kFatMagic64, LoadBe32(file.data() + 4), out);
    if (out.slices.empty() && out.problems.empty()) out.problems.push_back("fat header lists no slices");
  } else {
    out.slices.push_back(ReadThin(file, 0));
  }
  return out;
}

std::string VersionText(uint32_t packed) {
  return fmt::format("{}.{}.{}", packed >> 16, (packed >> 8) & 0xff, packed & 0xff);
}

std::string_view PlatformName(uint32_t platform) {
  static constexpr std::string_view kNames[] = {"unknown",
                                                "macOS",
                                                "iOS",
                                                "tvOS",
                                                "watchOS",
                                                "bridgeOS",
                                                "Mac Catalyst",
                                                "iOS simulator",
                                                "tvOS simulator",
                                                "watchOS simulator",
                                                "DriverKit",
                                                "visionOS",
                                                "visionOS simulator"};
  return platform < std::size(kNames) ? kNames[platform] : "unknown";
}

}  // namespace tediag::inspect
