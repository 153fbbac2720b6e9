// The fuzz targets: one entry point per reader (and the rule loader), shared by the libFuzzer
// binaries (fuzz/main.cc, built with -DTEDIAG_FUZZ=ON) and by the regression test that replays
// every input the fuzzers ever found (tests/fuzz/regressions_test.cc), so that a fixed crash
// stays fixed in the ordinary gcc build as well.
//
// Contract of every entry point: any bytes are accepted; the call returns normally. Whatever a
// reader delivers is read back byte by byte, so a view that outlives its buffer trips ASan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tediag::fuzz {

using Entry = void (*)(std::string_view data);

struct Target {
  std::string_view name;  // the fuzzer's name and its folder in tests/fuzz-regressions/
  Entry entry;
  std::string_view description;
};

// Every target, in a fixed order.
const std::vector<Target>& Targets();

// The target called `name`, or nullptr.
const Target* FindTarget(std::string_view name);

}  // namespace tediag::fuzz
