// Saved tool outputs and notary logs, read as inputs.
#include "read/tool_output.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tediag {
namespace {

using testing::ReadText;

TEST(ToolOutput, CodesignDisplayIsOneRecord) {
  // Shape of `codesign -dvvv` (docs/FORMATS.md §4.1), ad-hoc signed.
  auto result = ReadText(
      "Executable=/Users/me/jcode/target/release/jcode\n"
      "Identifier=jcode-5d3c9b8b3f1e2a77\n"
      "Format=Mach-O thin (arm64)\n"
      "CodeDirectory v=20400 size=1234 flags=0x20002(adhoc,linker-signed) hashes=33+0 location=embedded\n"
      "Signature=adhoc\n"
      "Info.plist=not bound\n"
      "TeamIdentifier=not set\n"
      "Sealed Resources=none\n"
      "Internal requirements count=0 size=12\n"
      "\n"
      "next paragraph\n");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["process"], "codesign");
  EXPECT_NE(result.records[0]["message"].find("TeamIdentifier=not set"), std::string::npos);
  EXPECT_EQ(result.formats, (std::vector<InputFormat>{InputFormat::kCodesign, InputFormat::kText}));
}

TEST(ToolOutput, SpctlVerifyXattrAndStapler) {
  auto result = ReadText(
      "/Applications/Nativ.app: accepted\n"
      "source=Notarized Developer ID\n"
      "origin=Developer ID Application: Prince Canuma (WT753TG39U)\n"
      "/Applications/Nativ.app: valid on disk\n"
      "/Applications/Nativ.app: satisfies its Designated Requirement\n"
      "com.apple.quarantine: 0083;5c54614c;Safari;B555DB5F-D82A-408B-B9A6-D4F4012FD520\n"
      "Processing: /Applications/Nativ.app\n"
      "The validate action worked!\n");
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[0]["process"], "spctl");
  EXPECT_EQ(result.records[0]["message"],
            "/Applications/Nativ.app: accepted\nsource=Notarized Developer ID\n"
            "origin=Developer ID Application: Prince Canuma (WT753TG39U)");
  EXPECT_EQ(result.records[1]["process"], "codesign");
  EXPECT_EQ(result.records[2]["process"], "xattr");
  EXPECT_EQ(result.records[3]["process"], "stapler");
  EXPECT_EQ(result.records[3]["message"], "Processing: /Applications/Nativ.app\nThe validate action worked!");
}

TEST(ToolOutput, SpctlForACommandLineToolIsStillSpctl) {
  EXPECT_EQ(ToolOutputStart("/usr/local/bin/tool: rejected (the code is valid but does not seem to be an app)"),
            Tool::kSpctl);
  EXPECT_EQ(ToolOutputStart("Reason: rejected by the user"), Tool::kNone);
}

TEST(NotaryLog, EachIssueIsARecord) {
  auto result = ReadText(R"x({
  "logFormatVersion": 1,
  "jobId": "8b58b452-f4af-46fe-a07a-e0c8e897c940",
  "status": "Invalid",
  "statusSummary": "Archive contains critical validation errors",
  "archiveFilename": "FlockAgent-0.1.1.pkg",
  "issues": [
    {
      "severity": "error",
      "code": null,
      "path": "FlockAgent-0.1.1.pkg/Flock.app/Contents/MacOS/flock-agent",
      "message": "The executable does not have the hardened runtime enabled.",
      "docUrl": null,
      "architecture": "x86_64"
    }
  ]
})x");
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["status"], "Invalid");
  EXPECT_EQ(result.records[0].text,
            "Notarization of FlockAgent-0.1.1.pkg: Invalid — Archive contains critical validation errors");
  EXPECT_EQ(result.records[1]["process"], "notarytool");
  EXPECT_EQ(result.records[1]["message_type"], "error");
  EXPECT_EQ(result.records[1]["path"], "FlockAgent-0.1.1.pkg/Flock.app/Contents/MacOS/flock-agent");
  EXPECT_EQ(result.records[1]["architecture"], "x86_64");
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kNotaryLog});
  EXPECT_TRUE(result.errors.empty());
}

}  // namespace
}  // namespace tediag
