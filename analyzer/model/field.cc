#include "tediag/field.h"

#include <iterator>

namespace tediag {
namespace {

constexpr std::string_view kNames[] = {
    "timestamp",
    "process",
    "process_path",
    "pid",
    "message",
    "sender",
    "subsystem",
    "category",
    "message_type",
    "event_type",
    "bundle_id",
    "parent",
    "responsible",
    "os_version",
    "exception_type",
    "signal",
    "exception_codes",
    "exception_subtype",
    "termination_namespace",
    "termination_code",
    "termination_indicator",
    "termination_details",
    "vm_region",
    "app_specific",
    "frames",
    "codesigning_id",
    "team_id",
    "codesigning_flags",
    "validation_category",
    "status",
    "path",
    "architecture",
    "doc_url",
};

// One name per Field, in enum order: a Field added without its name fails to compile here.
static_assert(std::size(kNames) == kFieldCount, "every Field needs its name in kNames, in enum order");

}  // namespace

std::string_view FieldName(Field field) { return kNames[static_cast<size_t>(field)]; }

std::optional<Field> FieldFromName(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (kNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

}  // namespace tediag
