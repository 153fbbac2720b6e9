// Wall-clock time for a Mach continuous time: the timesync files (boot records, each followed by
// sync records pairing a continuous time with the wall clock), and the fallback of a tracev3's
// own header when no timesync names its boot. Layout and method: libyal dtformats §"timesync
// database file format" and §"Converting a Mach continuous in to wall clock time". The doc
// leaves the rounding open; this truncates toward zero, in integer arithmetic (128-bit), so a
// time is exact to the nanosecond the data allows.
//
// Parse() checks every record's signature and size; a file that stops in the middle of a record
// keeps what came before. Immutable after Load: lookups may run on any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "unified_log/byte_reader.h"

namespace tediag::unified_log {

class Timesync {
 public:
  // Adds the boots of one timesync file; returns false when it is not one (nothing added).
  bool Add(std::string_view bytes);

  // Nanoseconds since 1970 (UTC) for `continuous_time` on boot `boot`; without a boot record
  // for it, from the tracev3 header's pairing (`header_ct` ↔ `header_wall_seconds`) and timebase.
  int64_t WallNanos(const Uuid& boot, uint64_t continuous_time, uint32_t numer, uint32_t denom, uint64_t header_ct,
                    int64_t header_wall_seconds) const;
  // The earliest WallNanos of any continuous time from `from` to `to`: the wall clock goes back
  // at a sync record that corrects it, so the start of the range is not always the earliest.
  int64_t EarliestWallNanos(const Uuid& boot, uint64_t from, uint64_t to, uint32_t numer, uint32_t denom,
                            uint64_t header_ct, int64_t header_wall_seconds) const;

  size_t boots() const { return boots_.size(); }

 private:
  struct Sync {
    uint64_t continuous_time;
    int64_t wall_nanos;
  };
  struct Boot {
    Uuid uuid{};
    uint32_t numer = 1, denom = 1;
    int64_t boot_nanos = 0;
    std::vector<Sync> syncs;  // in file order (increasing continuous time)
  };
  const Boot* Find(const Uuid& uuid) const;
  std::vector<Boot> boots_;
};

// "2023-01-12 01:35:35.240424+0000": the timestamp `log show --timezone UTC` prints, to the µs.
std::string FormatTimestamp(int64_t wall_nanos);

}  // namespace tediag::unified_log
