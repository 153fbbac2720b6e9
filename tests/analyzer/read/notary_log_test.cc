// Notary logs (`xcrun notarytool log`, altool's developer_log.json), whole and cut, read through
// the InputReader as a pasted file would be.
#include "read/notary_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace tediag {
namespace {

// A real altool-era log with two issues, 1008 bytes: the fenced JSON of
// corpora/notarization/flock-agent-altool-hardened-runtime/issue.md (firstlookmedia/flock-agent#85),
// taken out of its fence as a user saving the log to a file would have it.
std::string FlockLog() {
  std::ifstream in(std::string(TEDIAG_SOURCE_DIR) +
                   "/corpora/notarization/flock-agent-altool-hardened-runtime/issue.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string post = text.str();
  size_t open = post.find("```\n");
  size_t close = open == std::string::npos ? std::string::npos : post.find("\n```", open + 4);
  if (close == std::string::npos) return "";
  return post.substr(open + 4, close + 1 - (open + 4));
}

using Errors = std::vector<std::pair<uint64_t, std::string>>;

TEST(NotaryLog, AWholeLogReadsAsBefore) {
  auto result = testing::ReadText(FlockLog());
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0]["status"], "Invalid");
  EXPECT_EQ(result.records[2]["path"],
            "FlockAgent-0.1.1.pkg/FlockAgentComponent.pkg "
            "Contents/Payload/Applications/Flock.app/Contents/MacOS/flock-agent");
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kNotaryLog});
}

TEST(NotaryLog, ALogCutMidArrayGivesItsStatusAndEachWholeIssue) {
  const std::string whole = FlockLog();
  // Cut inside the second issue's path, as a paste cut at a size limit.
  const size_t cut = whole.find("FlockAgentComponent.pkg");
  ASSERT_NE(cut, std::string::npos);
  auto result = testing::ReadText(std::string_view(whole).substr(0, cut));
  ASSERT_EQ(result.records.size(), 2u);
  const auto& submission = result.records[0];
  EXPECT_EQ(submission["process"], "notarytool");
  EXPECT_EQ(submission["status"], "Invalid");
  EXPECT_EQ(submission["message"], "Archive contains critical validation errors");
  EXPECT_EQ(submission["path"], "FlockAgent-0.1.1.pkg");
  const auto& issue = result.records[1];
  EXPECT_EQ(issue["message_type"], "error");
  EXPECT_EQ(issue["path"], "FlockAgent-0.1.1.pkg/osquery-4.1.2.pkg Contents/Payload/usr/local/bin/osqueryd");
  EXPECT_EQ(issue["message"], "The executable does not have the hardened runtime enabled.");
  EXPECT_EQ(issue["architecture"], "x86_64");
  EXPECT_EQ(result.errors, (Errors{{1, std::string(kTruncatedNotaryLog)}}));
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kNotaryLog});
}

TEST(NotaryLog, EveryCutOfARealLogIsReadWithoutLosingWholeIssues) {
  const std::string whole = FlockLog();
  auto full = testing::ReadText(whole);
  ASSERT_EQ(full.records.size(), 3u);
  const size_t first_issue_end = whole.find("},") + 1;
  // From the first cut that keeps the status on.
  for (size_t size = whole.find("\"Invalid\",") + 10; size < whole.size() - 3; size += 7) {
    SCOPED_TRACE(size);
    auto result = testing::ReadText(std::string_view(whole).substr(0, size));
    ASSERT_GE(result.records.size(), 1u);
    ASSERT_LE(result.records.size(), 3u);
    EXPECT_EQ(result.records.size() >= 2, size >= first_issue_end) << "an issue is delivered only once it is whole";
    for (size_t k = 1; k < result.records.size(); ++k) EXPECT_EQ(result.records[k].fields, full.records[k].fields);
    for (const auto& [name, value] : result.records[0].fields) EXPECT_EQ(value, full.records[0][name]) << name;
    EXPECT_EQ(result.errors, (Errors{{1, std::string(kTruncatedNotaryLog)}}));
  }
}

// Every notary log in corpora/, cut every 16 bytes after its status: the submission's fields are
// those of the whole log, each issue delivered is one of the whole log's, in order.
TEST(NotaryLog, EveryCorpusLogCutAnywhereGivesWholeIssuesOnly) {
  size_t logs = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(TEDIAG_SOURCE_DIR) + "/corpora")) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string whole = buffer.str();
    if (!NotaryLogReader::LooksLikeNotaryLog(whole)) continue;
    auto full = testing::ReadText(whole);
    if (full.formats != std::vector<InputFormat>{InputFormat::kNotaryLog} || !full.errors.empty()) continue;
    ++logs;
    SCOPED_TRACE(entry.path().string());
    size_t status = whole.find("\"status\"");
    ASSERT_NE(status, std::string::npos);
    for (size_t size = whole.find(',', status) + 1; size < whole.size() - 2; size += 16) {
      SCOPED_TRACE(size);
      auto cut = testing::ReadText(std::string_view(whole).substr(0, size));
      ASSERT_GE(cut.records.size(), 1u);
      ASSERT_LE(cut.records.size(), full.records.size());
      for (const auto& [name, value] : cut.records[0].fields) EXPECT_EQ(value, full.records[0][name]) << name;
      for (size_t k = 1; k < cut.records.size(); ++k) EXPECT_EQ(cut.records[k].fields, full.records[k].fields);
      EXPECT_EQ(cut.errors, (Errors{{1, std::string(kTruncatedNotaryLog)}}));
    }
  }
  // Two whole-file logs since sudowork's became the labelled comment it was published as (read by the test
  // below); the others are quoted in posts.
  EXPECT_GE(logs, 2u) << "the corpus holds notary logs";
}

TEST(NotaryLog, ProseAfterACutLogIsReadAsText) {
  const std::string whole = FlockLog();
  std::string text = "Notarization fails, the log:\n" + whole.substr(0, whole.find("},") + 2) +
                     "\n(the rest is the same for flock-agent)\n";
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[1]["status"], "Invalid");
  // The submission's record is at the line of its "status" key, as in a whole log.
  std::string before_status = text.substr(0, text.find("\"status\""));
  EXPECT_EQ(result.records[1].line, 1u + std::count(before_status.begin(), before_status.end(), '\n'));
  EXPECT_EQ(result.records[2]["architecture"], "x86_64");
  EXPECT_EQ(result.records[3].text, "(the rest is the same for flock-agent)");
  EXPECT_EQ(result.errors, (Errors{{2, std::string(kTruncatedNotaryLog)}}));
}

TEST(NotaryLog, AnElidedLogIsReadAroundItsElisions) {
  // The flock-agent log as a poster shortens it: the hashes and the second issue elided by hand.
  constexpr std::string_view kText = R"({
  "logFormatVersion": 1,
  "jobId": "8b58b452-f4af-46fe-a07a-e0c8e897c940",
  "status": "Invalid",
  "statusSummary": "Archive contains critical validation errors",
  "statusCode": 4000,
  "archiveFilename": "FlockAgent-0.1.1.pkg",
  ...
  "issues": [
    {
      "severity": "error",
      "code": null,
      "path": "FlockAgent-0.1.1.pkg/osquery-4.1.2.pkg Contents/Payload/usr/local/bin/osqueryd",
      "message": "The executable does not have the hardened runtime enabled.",
      "docUrl": null,
      "architecture": "x86_64"
    },
    [...]
  ]
}
)";
  auto result = testing::ReadText(kText);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0]["status"], "Invalid");
  EXPECT_EQ(result.records[0]["path"], "FlockAgent-0.1.1.pkg");
  EXPECT_EQ(result.records[1]["message"], "The executable does not have the hardened runtime enabled.");
  EXPECT_EQ(result.errors, (Errors{{1, std::string(kTruncatedNotaryLog)}}));
}

// CI output that introduces the log with a label on the brace's line: the comment of
// sudoprivacy/sudowork#251 as the corpus holds it (82 spaces, "Diagnostics from notarytool log: {").
TEST(NotaryLog, ALogAfterALabelOnItsFirstLineIsReadAsALog) {
  std::string text = testing::Slurp(std::string(TEDIAG_SOURCE_DIR) +
                                    "/corpora/notarization/sudowork-notarytool-signature-invalid/notarytool-log.txt");
  ASSERT_NE(text.find("Diagnostics from notarytool log: {"), std::string::npos);
  auto result = testing::ReadText(text);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0]["message"], "Diagnostics from notarytool log:");
  EXPECT_EQ(result.records[1]["status"], "Invalid");
  EXPECT_EQ(result.records[1]["path"], "Sudowork.zip");
  EXPECT_EQ(result.records[2]["message"], "The signature of the binary is invalid.");
  EXPECT_EQ(result.records[2].line, 16u);
  EXPECT_TRUE(result.errors.empty());
}

TEST(NotaryLog, ABraceEndingAProseLineIsStillText) {
  auto result = testing::ReadText("The config looks like this: {\n  retries = 3\n}\n");
  EXPECT_TRUE(result.errors.empty());
  ASSERT_FALSE(result.records.empty());
  EXPECT_EQ(result.formats, std::vector<InputFormat>{InputFormat::kText});
}

}  // namespace
}  // namespace tediag
