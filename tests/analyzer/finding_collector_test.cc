#include "diagnose/finding_collector.h"

#include <gtest/gtest.h>

namespace tediag {
namespace {

TEST(AppFromPath, NamesTheInnermostBundleOrTheFile) {
  EXPECT_EQ(AppFromPath("/Applications/Foo.app/Contents/MacOS/Foo"), "Foo");
  EXPECT_EQ(AppFromPath("/Applications/Foo.app/Contents/Helpers/Foo Helper.app/Contents/MacOS/Foo Helper"), "Foo Helper");
  EXPECT_EQ(AppFromPath("/Volumes/MachOView 1/MachOView.app"), "MachOView");
  EXPECT_EQ(AppFromPath("/usr/local/bin/tool"), "tool");
  EXPECT_EQ(AppFromPath("BrowBro.dmg"), "BrowBro.dmg");
}

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

}  // namespace
}  // namespace tediag
