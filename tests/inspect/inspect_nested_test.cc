// Nested code mutations of a real Developer ID app: ad-hoc code, and code of another team,
// placed inside a copy of osx-notifier's terminal-notifier-pass.app (signed in 2014 by
// "Developer ID Application: Springest Corporate B.V.", certificate team LS4R756LZZ, v1 seal).
// The nested binaries are real too: @swc/core-darwin-arm64's addon (codesign ad-hoc) and
// @sentry/cli-darwin's executable (Developer ID, team 97JCY7859U); see
// ../shared/docs/NOTES-LOGARCHIVE-AND-SIGNING.md §B.3.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bundle_inspector.h"
#include "inspect/npm_fixtures.h"

namespace tediag::inspect {
namespace {
namespace fs = std::filesystem;

using ::tediag::test::Inspect;

std::vector<Observation> At(const std::vector<Observation>& list, std::string_view code, const fs::path& path) {
  std::vector<Observation> out;
  for (const Observation& o : list)
    if (o.code == code && o.path == path.string()) out.push_back(o);
  return out;
}

size_t Count(const std::vector<Observation>& list, std::string_view code) {
  size_t n = 0;
  for (const Observation& o : list) n += o.code == code;
  return n;
}

class InspectNestedCode : public ::testing::Test {
 protected:
  void SetUp() override {
    auto app = test::NpmPackage("osx-notifier@0.2.2");
    auto swc = test::NpmPackage("@swc/core-darwin-arm64@1.16.22");
    auto sentry = test::NpmPackage("@sentry/cli-darwin@3.8.0");
    if (!app || !swc || !sentry) GTEST_SKIP() << "npm registry not reachable: could not fetch the fixtures";
    fs::path dir =
        test::FreshDir("nested-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    app_ = dir / "terminal-notifier-pass.app";
    fs::copy(*app / "osx/terminal-notifier-pass.app", app_, fs::copy_options::recursive);
    adhoc_ = *swc / "swc.darwin-arm64.node";
    other_team_ = *sentry / "bin/sentry-cli";
  }
  fs::path app_, adhoc_, other_team_;
};

// An ad-hoc addon dropped into the sealed Resources/ (as an Electron app unpacks its .node files):
// the addon is named as ad-hoc, as code of no team inside a team's app, and as a file the seal lacks.
TEST_F(InspectNestedCode, AdhocAddonInSealedResources) {
  fs::path addon = app_ / "Contents/Resources/app.asar.unpacked/swc.darwin-arm64.node";
  fs::create_directories(addon.parent_path());
  fs::copy_file(adhoc_, addon);
  auto obs = Inspect(app_);
  ASSERT_EQ(At(obs, "adhoc-signed", addon).size(), 1u);
  EXPECT_NE(At(obs, "adhoc-signed", addon)[0].detail.find("codesign -s -"), std::string::npos);
  auto mismatch = At(obs, "nested-team-mismatch", addon);
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].detail,
            "nested code of team none (ad-hoc) inside an app of team LS4R756LZZ: library validation refuses to load "
            "it into the app");
  ASSERT_EQ(At(obs, "seal-added", addon).size(), 1u);
  EXPECT_EQ(Count(obs, "seal-added"), 1u);
  EXPECT_EQ(Count(obs, "seal-modified"), 0u);
  EXPECT_EQ(Count(obs, "nested-team-mismatch"), 1u);
}

// A sealed resource replaced by an ad-hoc Mach-O: the seal names it as modified.
TEST_F(InspectNestedCode, SealedResourceReplacedByAdhocCode) {
  fs::path replaced = app_ / "Contents/Resources/Success.icns";
  fs::copy_file(adhoc_, replaced, fs::copy_options::overwrite_existing);
  auto obs = Inspect(app_);
  EXPECT_EQ(At(obs, "seal-modified", replaced).size(), 1u);
  EXPECT_EQ(At(obs, "nested-team-mismatch", replaced).size(), 1u);
  EXPECT_EQ(At(obs, "adhoc-signed", replaced).size(), 1u);
}

// A framework whose binary was re-signed ad-hoc, and a helper executable of another team in
// Contents/MacOS.
// The v1 seal covers only Resources/ (its rules), so neither is a seal difference, as on a Mac.
TEST_F(InspectNestedCode, AdhocFrameworkAndHelperOfAnotherTeam) {
  fs::path framework = app_ / "Contents/Frameworks/Lib.framework";
  fs::create_directories(framework / "Versions/A/Resources");
  fs::copy_file(adhoc_, framework / "Versions/A/Lib");
  std::ofstream(framework / "Versions/A/Resources/Info.plist")
      << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
         "<key>CFBundleExecutable</key><string>Lib</string>"
         "<key>CFBundleIdentifier</key><string>com.example.Lib</string></dict></plist>\n";
  fs::create_directory_symlink("A", framework / "Versions/Current");
  fs::create_symlink("Versions/Current/Lib", framework / "Lib");
  fs::path helper = app_ / "Contents/MacOS/sentry-cli";
  fs::copy_file(other_team_, helper);
  auto obs = Inspect(app_);

  auto framework_mismatch = At(obs, "nested-team-mismatch", framework);
  ASSERT_EQ(framework_mismatch.size(), 1u);
  EXPECT_NE(framework_mismatch[0].detail.find("team none (ad-hoc) inside an app of team LS4R756LZZ"),
            std::string::npos);
  EXPECT_EQ(At(obs, "adhoc-signed", framework / "Versions/Current/Lib").size(), 1u);

  // The helper runs as its own process under its own Developer ID signature: library validation,
  // which judges code loaded into the app, has nothing to say about it.
  EXPECT_TRUE(At(obs, "nested-team-mismatch", helper).empty());
  EXPECT_FALSE(At(obs, "code-directory", helper).empty()) << "the helper is still inspected";
  EXPECT_EQ(Count(obs, "nested-team-mismatch"), 1u);
  EXPECT_EQ(Count(obs, "seal-added") + Count(obs, "seal-modified") + Count(obs, "seal-missing"), 0u);
}

}  // namespace
}  // namespace tediag::inspect
