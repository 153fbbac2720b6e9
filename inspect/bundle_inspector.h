// Inspects what a user names: a code bundle (.app, .framework, .xpc, .appex… in the macOS
// layout, Contents/, or the shallow one), a bare Mach-O file (thin or universal), or a folder,
// whose bundles and Mach-O files are each inspected. For a bundle: Info.plist (XML or binary),
// CFBundleExecutable present and executable, the main executable's signature with the
// Info.plist and CodeResources it binds, the resource seal (resource_seal.h), nested code
// inside-out (frameworks, helpers, XPC services, login items, plug-ins, dylibs, .node addons:
// any Mach-O inside) with its Team ID compared to the app's, helper sandbox entitlements, the
// stapled ticket, and what the entitlements claim against Info.plist's usage descriptions.
//
// Files are read whole into memory, one at a time; symlinks are not followed out of a bundle.
// Problems reading a file are observations; nothing stops the walk. Not thread-safe per call
// (the Observations), but calls with separate Observations may run at once.
#pragma once

#include <filesystem>

#include "inspection.h"

namespace tediag::inspect {

void InspectPath(const std::filesystem::path& path, Observations& out);

}  // namespace tediag::inspect
