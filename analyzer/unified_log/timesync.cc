#include "unified_log/timesync.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace tediag::unified_log {
namespace {

__extension__ typedef __int128 Int128;

// (ticks * numer / denom) without overflow; ticks may be negative.
int64_t Scale(int64_t ticks, uint32_t numer, uint32_t denom) {
  Int128 v = static_cast<Int128>(ticks) * numer / denom;
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

int64_t Delta(uint64_t a, uint64_t b) {  // a - b as a signed value, saturated
  if (a >= b) return a - b > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(a - b);
  return b - a > static_cast<uint64_t>(INT64_MAX) ? INT64_MIN : -static_cast<int64_t>(b - a);
}

int64_t AddSaturated(int64_t a, int64_t b) {
  int64_t out;
  return __builtin_add_overflow(a, b, &out) ? (b > 0 ? INT64_MAX : INT64_MIN) : out;
}

}  // namespace

bool Timesync::Add(std::string_view bytes) {
  ByteReader r(bytes);
  size_t before = boots_.size();
  while (r.Has(4)) {
    uint16_t signature = r.U16();
    uint16_t size = r.U16();
    if (signature == 0xbbb0 && size == 48 && r.Has(44)) {
      Boot& boot = boots_.emplace_back();
      r.Skip(4);
      boot.uuid = r.ReadUuid();
      boot.numer = r.U32();
      boot.denom = r.U32();
      boot.boot_nanos = static_cast<int64_t>(r.U64());
      r.Skip(8);
      if (boot.numer == 0 || boot.denom == 0) boot.numer = boot.denom = 1;
    } else if (signature == 0x7354 && size == 32 && r.Has(28) && boots_.size() > before) {
      r.Skip(4);
      Sync sync;
      sync.continuous_time = r.U64();
      sync.wall_nanos = static_cast<int64_t>(r.U64());
      r.Skip(8);
      boots_.back().syncs.push_back(sync);
    } else {
      break;  // not a record: the rest is not read
    }
  }
  return boots_.size() > before;
}

const Timesync::Boot* Timesync::Find(const Uuid& uuid) const {
  // The last boot record for this boot: a later file continues an earlier one.
  for (auto it = boots_.rbegin(); it != boots_.rend(); ++it)
    if (it->uuid == uuid) return &*it;
  return nullptr;
}

int64_t Timesync::WallNanos(const Uuid& boot_uuid, uint64_t continuous_time, uint32_t numer, uint32_t denom,
                            uint64_t header_ct, int64_t header_wall_seconds) const {
  if (const Boot* boot = Find(boot_uuid)) {
    // The last sync record at or before the time; before the first, the boot record itself.
    const Sync* base = nullptr;
    for (const Boot& b : boots_) {
      if (b.uuid != boot_uuid) continue;
      for (const Sync& s : b.syncs) {
        if (s.continuous_time > continuous_time) break;
        base = &s;
      }
    }
    if (base)
      return AddSaturated(base->wall_nanos,
                          Scale(Delta(continuous_time, base->continuous_time), boot->numer, boot->denom));
    return AddSaturated(boot->boot_nanos, Scale(static_cast<int64_t>(std::min<uint64_t>(continuous_time, INT64_MAX)),
                                                boot->numer, boot->denom));
  }
  if (numer == 0 || denom == 0) numer = denom = 1;
  int64_t header_nanos = header_wall_seconds * 1'000'000'000;
  return AddSaturated(header_nanos, Scale(Delta(continuous_time, header_ct), numer, denom));
}

int64_t Timesync::EarliestWallNanos(const Uuid& boot_uuid, uint64_t from, uint64_t to, uint32_t numer, uint32_t denom,
                                    uint64_t header_ct, int64_t header_wall_seconds) const {
  // Between two sync records the clock only goes forward: the earliest is at the range's start
  // or at a sync record inside it.
  int64_t earliest = WallNanos(boot_uuid, from, numer, denom, header_ct, header_wall_seconds);
  for (const Boot& b : boots_) {
    if (b.uuid != boot_uuid) continue;
    for (const Sync& s : b.syncs) {
      if (s.continuous_time <= from) continue;
      if (s.continuous_time > to) break;
      earliest =
          std::min(earliest, WallNanos(boot_uuid, s.continuous_time, numer, denom, header_ct, header_wall_seconds));
    }
  }
  return earliest;
}

std::string FormatTimestamp(int64_t wall_nanos) {
  using namespace std::chrono;
  int64_t seconds = wall_nanos / 1'000'000'000;
  int64_t nanos = wall_nanos % 1'000'000'000;
  if (nanos < 0) nanos += 1'000'000'000, --seconds;
  sys_days day = floor<days>(sys_seconds(std::chrono::seconds(seconds)));
  year_month_day ymd(day);
  int64_t in_day = seconds - duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02lld:%02lld:%02lld.%06lld+0000", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(in_day / 3600), static_cast<long long>(in_day / 60 % 60),
                static_cast<long long>(in_day % 60), static_cast<long long>(nanos / 1000));
  return buffer;
}

}  // namespace tediag::unified_log
