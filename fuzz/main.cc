// One libFuzzer binary per target: CMake compiles this file once per name in targets.cc,
// with TEDIAG_FUZZ_TARGET set to that name.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "targets.h"

namespace {

const tediag::fuzz::Target& ThisTarget() {
  static const tediag::fuzz::Target* target = [] {
    const tediag::fuzz::Target* found = tediag::fuzz::FindTarget(TEDIAG_FUZZ_TARGET);
    if (found == nullptr) {
      std::fprintf(stderr, "no fuzz target named %s\n", TEDIAG_FUZZ_TARGET);
      std::abort();
    }
    return found;
  }();
  return *target;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ThisTarget().entry(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
