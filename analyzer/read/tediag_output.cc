#include "read/tediag_output.h"

#include "tediag/report.h"
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
  return ConsumePrefix(rest, "\"") && rest.starts_with(kSchemaPrefix);
}

bool IsTediagMarkdown(std::string_view data) { return data.starts_with(kMarkdownTitle); }

}  // namespace tediag
