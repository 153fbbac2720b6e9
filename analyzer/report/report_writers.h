// Renders a Report. Each writer only reads the model; none decides anything.
#pragma once

#include <string>

#include "tediag/report.h"

namespace tediag {

struct TextStyle {
  bool color = false;  // ANSI colours: only on a terminal, never with NO_COLOR set
};

std::string RenderText(const Report& report, const TextStyle& style);
std::string RenderMarkdown(const Report& report);
// "Redacted: replaced 1 user name (<user-N>, 3 times), …": what --redact did, for the text and
// Markdown writers; `code` wraps each placeholder in backticks (Markdown).
std::string RedactionSentence(const Redaction& redaction, bool code = false);

// The tediag.report/1 schema (README.md documents it).
std::string RenderJson(const Report& report, std::string_view tool_version);

}  // namespace tediag
