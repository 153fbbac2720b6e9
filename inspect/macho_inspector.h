// Inspects one Mach-O file (thin or universal) as `codesign --verify --strict -vvv` and
// `syspolicy_check` would judge its signature: for every slice, the CodeDirectory's facts,
// every code page's hash, the special slots, the entitlements, the CMS signer, its chain and
// timestamp; and what distribution needs (Developer ID, hardened runtime, secure timestamp,
// no get-task-allow, a 10.9+ SDK). Results are Observations (inspection.h).
//
// Cost: one hash of every signed byte per CodeDirectory; the file is read into memory by the
// caller. Untrusted input throughout (the parsers' contracts). Thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "inspection.h"
#include "plist.h"

namespace tediag::inspect {

// What the bundle inspector passes about the code it checks: the files the main executable's
// special slots bind (absent: not a bundle's main executable).
struct MachOContext {
  std::optional<Bytes> info_plist;
  std::optional<Bytes> code_resources;
  bool main_executable = false;
};

// What a bundle needs to know about one slice's signature afterwards.
struct SliceSummary {
  std::string arch;
  bool is_signed = false;  // has a parsable CodeDirectory
  bool adhoc = false;
  bool runtime = false;
  bool library_validation = false;
  std::string identifier;
  std::string team_id;  // the CodeDirectory's, else the certificate's
  std::string cdhash;   // of the primary CodeDirectory (hex)
  std::optional<PlistValue> entitlements;
};

struct MachOSummary {
  std::vector<SliceSummary> slices;
  bool executable_type = false;  // MH_EXECUTE in some slice
};

// Inspects `file`, naming it `path` in the observations.
MachOSummary InspectMachO(const std::string& path, Bytes file, const MachOContext& context, Observations& out);

}  // namespace tediag::inspect
