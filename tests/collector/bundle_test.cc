// manifest.json: written with the report's JSON writer, readable by any JSON parser, recognised
// by the analyzer as tediag's own, and redacted field by field for the archive that is sent.
#include "bundle.h"

#include <gtest/gtest.h>

#include "read/tediag_output.h"
#include "redact/redactor.h"
#include "simdjson.h"

namespace tediag::collector {
namespace {

Manifest SampleManifest() {
  Manifest m;
  m.tool_version = "9.9.9";
  m.macos_version = "26.4 (25E000)";
  m.state = "complete";
  m.app_query = "Foo";
  m.app_name = "Foo";
  m.app_path = "/Users/jappleseed/Applications/Foo.app";
  m.executable = "/Users/jappleseed/Applications/Foo.app/Contents/MacOS/Foo";
  m.predicate = "process == \"Foo\"\n";  // a quote and a line break: escaped, not written raw
  m.events = 12;
  m.notes = {"bad \xff byte"};
  return m;
}

std::vector<CommandRecord> SampleCommands() {
  return {{.purpose = "codesign-verify",
           .argv = {"/usr/bin/codesign", "--verify", "/Users/jappleseed/Applications/Foo.app"},
           .started = "2026-04-15T10:12:00Z",
           .seconds = 0.25,
           .exit_code = 1,
           .outcome = "exit status 1",
           .output_file = "signing/codesign-verify.txt"},
          {.purpose = "log stream",
           .argv = {},
           .started = {},
           .seconds = 0,
           .exit_code = -1,
           .outcome = {},
           .output_file = {}}};
}

TEST(ManifestJson, ParsesAndIsRecognisedAsTediagsOwn) {
  std::string json = ManifestJson(SampleManifest(), SampleCommands());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["schema"]), kBundleSchema);
  EXPECT_TRUE(IsTediagJson(json));  // so that analysing a bundle skips it
  EXPECT_EQ(std::string_view(root["app"]["path"]), "/Users/jappleseed/Applications/Foo.app");
  EXPECT_EQ(std::string_view(root["predicate"]), "process == \"Foo\"\n");
  EXPECT_EQ(std::string_view(root["notes"].at(0)), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(uint64_t(root["events"]), 12u);
  simdjson::dom::element first = root["commands"].at(0);
  EXPECT_EQ(std::string_view(first["argv"].at(1)), "--verify");
  EXPECT_DOUBLE_EQ(double(first["seconds"]), 0.25);
  EXPECT_EQ(int64_t(first["exit_code"]), 1);
  EXPECT_EQ(int64_t(root["commands"].at(1)["exit_code"]), -1);  // not ended: negative, not 2^64-1
  EXPECT_EQ(simdjson::dom::array(root["crash_reports"]).size(), 0u);
  EXPECT_TRUE(root["redaction"].error() == simdjson::NO_SUCH_FIELD);  // only in a redacted archive
}

TEST(ManifestJson, RedactedCopyHidesTheUserAndSaysWhatWasReplaced) {
  Manifest m = SampleManifest();
  std::vector<CommandRecord> commands = SampleCommands();
  Redactor redactor;
  redactor.Learn(m.app_path);
  ForEachManifestString(m, commands, [&redactor](std::string& s) { s = redactor.Redact(s); });
  ManifestRedaction redaction{.replaced = redactor.Summary(), .left_out = {"crash-reports/x.crash (a Mach-O binary)"}};
  std::string json = ManifestJson(m, commands, &redaction);
  EXPECT_EQ(json.find("jappleseed"), std::string::npos) << json;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(root["commands"].at(0)["argv"].at(2)), "/Users/<user-1>/Applications/Foo.app");
  simdjson::dom::element r = root["redaction"];
  EXPECT_TRUE(bool(r["applied"]));
  EXPECT_EQ(std::string_view(r["replaced"].at(0)["kind"]), "user");
  EXPECT_EQ(std::string_view(r["replaced"].at(0)["placeholder"]), "<user-N>");
  EXPECT_EQ(uint64_t(r["replaced"].at(0)["occurrences"]), 3u);  // the path, the executable, codesign's argument
  EXPECT_EQ(std::string_view(r["left_out"].at(0)), "crash-reports/x.crash (a Mach-O binary)");
}

}  // namespace
}  // namespace tediag::collector
