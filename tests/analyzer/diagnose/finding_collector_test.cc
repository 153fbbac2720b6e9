#include "diagnose/finding_collector.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

TEST(FillTemplate, UsesCapturesThenFieldsThenFallbacks) {
  Record record;
  record.Set(Field::kProcess, "Kap");
  record.Set(Field::kTerminationCode, "1");
  Captures captures = {{"path", "/Applications/Kap.app"}};
  EXPECT_EQ(FillTemplate("{process} at {path}, code {termination_code}", captures, record, "Kap"),
            "Kap at /Applications/Kap.app, code 1");
  EXPECT_EQ(FillTemplate("team {team_id|not recorded}; {missing}", captures, record, "Kap"),
            "team not recorded; (unknown)");
  EXPECT_EQ(FillTemplate("(CODESIGNING {termination_code} {termination_indicator|})", captures, record, "Kap"),
            "(CODESIGNING 1)");
  EXPECT_EQ(FillTemplate("{app} has an unclosed {brace", captures, record, "Kap"), "Kap has an unclosed {brace");
}

TEST(FillTemplate, LeavesOutOptionalPartsWhoseValuesAreNotKnown) {
  Record record;
  record.Set(Field::kProcess, "Kap");
  record.Set(Field::kValidationCategory, "6 (developer-id)");
  Captures captures;
  EXPECT_EQ(FillTemplate("Kap was killed. [[The report records team {team_id}.]] [[Its validation category is "
                         "{validation_category}.]]",
                         captures, record, "Kap"),
            "Kap was killed. Its validation category is 6 (developer-id).");
  EXPECT_EQ(FillTemplate("A page of {process}[[ (pid {pid})]] was rejected.", captures, record, "Kap"),
            "A page of Kap was rejected.");
  // A fallback is not a value: the part goes.
  EXPECT_EQ(FillTemplate("[[Team {team_id|none}.]]Done.", captures, record, "Kap"), "Done.");
  EXPECT_EQ(FillTemplate("Unclosed [[part {process}", captures, record, "Kap"), "Unclosed [[part Kap");
  // A value that starts with a dot keeps the space before it (the ASP line of RightNow-AI/openfang#109,
  // pid elided: '... would not allow process: ..., .openfang/bin/openfang').
  captures.push_back({"path", ".openfang/bin/openfang"});
  EXPECT_EQ(FillTemplate("It refused to run {path}[[ (pid {pid})]] at launch.", captures, record, "Kap"),
            "It refused to run .openfang/bin/openfang at launch.");
}

TEST(TemplateNames, ListsEachPlaceholderOnce) {
  EXPECT_EQ(TemplateNames("{app} [[{pid|?} {app}]] {file|x}"), (std::vector<std::string>{"app", "pid", "file"}));
}

}  // namespace
}  // namespace tediag
