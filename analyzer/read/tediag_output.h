// tediag's own documents: a collector bundle's manifest.json and the reports it holds
// (report.json, report.md). They describe evidence rather than being evidence, so readers
// skip them; otherwise analysing a bundle would match its app names, predicate and quoted
// evidence lines a second time.
#pragma once

#include <string_view>

namespace tediag {

// Whether `json` (one JSON object) starts with "schema": "tediag.…" (kSchemaPrefix of
// tediag/report.h: kBundleSchema for the manifest, kReportSchema for a JSON report).
bool IsTediagJson(std::string_view json);

// Whether a whole input is a Markdown report as RenderMarkdown writes it (its first line is
// kMarkdownTitle).
bool IsTediagMarkdown(std::string_view data);

}  // namespace tediag
