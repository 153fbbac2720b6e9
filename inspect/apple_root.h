// The pinned trust anchor for code-signing chains (apple_root.cc says where it comes from).
#pragma once

#include <string_view>

namespace tediag::inspect {

// Apple Root CA as PEM text (static storage).
std::string_view AppleRootCaPem();

}  // namespace tediag::inspect
