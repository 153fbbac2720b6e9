#include "read/tediag_output.h"

#include "util/text_util.h"

namespace tediag {

bool IsTediagJson(std::string_view json) {
  std::string_view rest = StripLeadingWhitespace(json);
  if (!ConsumePrefix(rest, "{")) return false;
  rest = StripLeadingWhitespace(rest);
  if (!ConsumePrefix(rest, "\"schema\"")) return false;
  rest = StripLeadingWhitespace(rest);
  if (!ConsumePrefix(rest, ":")) return false;
  rest = StripLeadingWhitespace(rest);
  return rest.starts_with("\"tediag.");
}

bool IsTediagMarkdown(std::string_view data) { return data.starts_with("## tediag diagnosis\n"); }

}  // namespace tediag
