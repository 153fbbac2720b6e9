// App identity: one app however the evidence names it, and evidence that names none kept apart.
// The log and crash lines are real shapes (corpora/quarantine-block, corpora/restricted-entitlements,
// tests/collector/fixtures), with the app's names changed.
#include "diagnose/app_identity.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::EmbeddedMatcher;

TEST(AppFromPath, NamesTheOutermostBundleOrTheFile) {
  std::string bundle;
  EXPECT_EQ(AppFromPath("/Applications/Foo.app/Contents/MacOS/Foo", &bundle), "Foo");
  EXPECT_EQ(bundle, "/Applications/Foo.app");
  // A helper inside an app is part of that app.
  EXPECT_EQ(
      AppFromPath("/Applications/Foo.app/Contents/Frameworks/Foo Helper (GPU).app/Contents/MacOS/Foo Helper (GPU)"),
      "Foo");
  EXPECT_EQ(AppFromPath("/Volumes/MachOView 1/MachOView.app"), "MachOView");
  EXPECT_EQ(AppFromPath("/usr/local/bin/tool", &bundle), "tool");
  EXPECT_EQ(bundle, "");
  EXPECT_EQ(AppFromPath("BrowBro.dmg"), "BrowBro.dmg");
  // An archive's member, as tediag inspect names it: the app is the member's, not the archive's.
  EXPECT_EQ(AppFromPath("dist/MyApp.zip:MyApp.app/Contents/MacOS/MyApp", &bundle), "MyApp");
  EXPECT_EQ(bundle, "dist/MyApp.zip:MyApp.app");
  EXPECT_EQ(AppFromPath("/tmp/Build: Nightly.app/Contents/MacOS/x"), "Build: Nightly");  // a colon in a name
}

TEST(BaseAppName, FoldsHelpersIntoTheirApp) {
  EXPECT_EQ(BaseAppName("MyApp Helper (GPU)"), "MyApp");
  EXPECT_EQ(BaseAppName("MyApp Helper (Renderer)"), "MyApp");
  EXPECT_EQ(BaseAppName("MyApp Helper"), "MyApp");
  EXPECT_EQ(BaseAppName("Foo.app"), "Foo");
  EXPECT_EQ(BaseAppName("Helper"), "Helper");
}

TEST(IsPlaceholderAppName, WhatPostersWriteForAnyApp) {
  for (const char* name : {"XXX.app", "xxxxxxxx", "the app", "App", "\xE5\xBA\x94\xE7\x94\xA8", "\xE2\x80\xA6"})
    EXPECT_TRUE(IsPlaceholderAppName(name)) << name;
  for (const char* name : {"Xcode", "Kap.app", "X", "MyHelper", "Appium"})
    EXPECT_FALSE(IsPlaceholderAppName(name)) << name;
}

// A retyped dialog whose app is a placeholder names no app: the heading of
// BigPizzaV3/CodexPlusPlus#333 (macOS 提示“应用已损坏，无法打开”, "the app is damaged").
TEST(AppIdentity, ARetypedDialogsPlaceholderNamesNoApp) {
  Report report = AnalyzeText(EmbeddedMatcher(), "issue.md",
                              "## macOS \xE6\x8F\x90\xE7\xA4\xBA\xE2\x80\x9C\xE5\xBA\x94\xE7\x94\xA8\xE5\xB7\xB2"
                              "\xE6\x8D\x9F\xE5\x9D\x8F\xEF\xBC\x8C\xE6\x97\xA0\xE6\xB3\x95\xE6\x89\x93\xE5\xBC\x80"
                              "\xE2\x80\x9D\xE7\x9A\x84\xE8\xA7\xA3\xE5\x86\xB3\xE6\x96\xB9\xE6\xB3\x95\n");
  ASSERT_FALSE(report.diagnoses.empty());
  EXPECT_EQ(RootCause(report)->rule->class_slug, "quarantine-block");
  EXPECT_FALSE(report.diagnoses[0].app.has_value());
  EXPECT_TRUE(report.apps.empty());
}

TEST(IsSystemProcess, TheSystemLogsAboutAppsButIsNotOne) {
  for (const char* name :
       {"kernel", "amfid", "syspolicyd", "tccd", "taskgated-helper", "com.apple.WebKit.Networking"}) {
    EXPECT_TRUE(IsSystemProcess(name)) << name;
  }
  EXPECT_TRUE(IsSystemProcess("anything", "/usr/libexec/anything"));
  EXPECT_FALSE(IsSystemProcess("Kap", "/Applications/Kap.app/Contents/MacOS/Kap"));
}

TEST(ManifestApp, ReadsTheBundlesAppAndNothingElse) {
  std::optional<AppNames> app =
      ManifestApp(R"({"schema": "tediag.bundle/1", "tool_version": "0.1", "app": {"query": "Foo", "name": "Foo",)"
                  R"( "path": "/Applications/Foo.app", "bundle_id": "com.example.foo",)"
                  R"( "executable": "/Applications/Foo.app/Contents/MacOS/Foo", "version": "1.0"}})");
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(app->bundle_id, "com.example.foo");
  EXPECT_EQ(app->names.front(), "Foo");
  EXPECT_FALSE(ManifestApp(R"({"schema": "tediag.report/2", "app": {"name": "Foo"}})").has_value());
  EXPECT_FALSE(ManifestApp("not json at all").has_value());
}

TEST(AppIdentity, PathsOfAnAppAndItsHelpersAreOneApp) {
  Report report = AnalyzeText(
      EmbeddedMatcher(), "console.log",
      "kernel: ASP: Security policy would not allow process: 16036, /Applications/Foo.app/Contents/MacOS/Foo\n"
      "kernel: ASP: Security policy would not allow process: 16040, "
      "/Applications/Foo.app/Contents/Frameworks/Foo Helper (GPU).app/Contents/MacOS/Foo Helper (GPU)\n");
  ASSERT_EQ(report.apps.size(), 1u);
  EXPECT_EQ(report.apps[0].name, "Foo");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].hits, 2u);
  ASSERT_EQ(report.diagnoses.size(), 1u);
  EXPECT_EQ(report.diagnoses[0].app, std::optional<size_t>(0));
}

TEST(AppIdentity, BundleIdAndPathJoinedByOneRecordNameOneApp) {
  // taskgated-helper names the bundle ID, amfid the executable's path, the crash report both.
  Report report = AnalyzeText(EmbeddedMatcher(), "bundle.txt",
                              "taskgated-helper: Disallowing: com.example.foo\n"
                              "amfid: /Applications/Foo.app/Contents/MacOS/Foo not valid: "
                              "AppleMobileFileIntegrityError Code=-413 \"No matching profile found\"\n"
                              "\n"
                              "Process:               Foo [377]\n"
                              "Path:                  /Applications/Foo.app/Contents/MacOS/Foo\n"
                              "Identifier:            com.example.foo\n"
                              "Exception Type:        EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
                              "Termination Reason:    Namespace CODESIGNING, Code 0x1\n");
  ASSERT_EQ(report.apps.size(), 1u) << report.headline;
  EXPECT_EQ(report.apps[0].name, "Foo");
  EXPECT_EQ(report.apps[0].bundle_id, "com.example.foo");
  ASSERT_EQ(report.diagnoses.size(), 1u) << report.headline;
  for (const Finding& f : report.findings) EXPECT_EQ(f.app, std::optional<size_t>(0)) << f.rule->id;
}

// tccd's line (corpora/apple-events-consent/zerotier-tccd-hardened-runtime-accessing-requesting)
// names the app by its bundle ID alone; the crash report (the shape of corpora/code-signature-invalid)
// by its name. The ID's last component is the name, written with a hyphen: one app, shown by its name.
constexpr const char* kTccdNamesTheBundleId =
    "tccd: [com.apple.TCC:access] Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires "
    "entitlement com.apple.security.automation.apple-events but it is missing for accessing={TCCDProcess: "
    "identifier=com.example.Foo-Bar, pid=3288, auid=501, euid=501}\n\n";
constexpr const char* kCrashNamesTheApp =
    "Process:               Foo Bar [377]\n"
    "Exception Type:        EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
    "Termination Reason:    Namespace CODESIGNING, Code 0x1\n";

TEST(AppIdentity, AnAppNamedByItsBundleIdHereAndByItsNameThereIsOneAppShownByItsName) {
  for (bool id_first : {true, false}) {
    std::string text = id_first ? StrCat(kTccdNamesTheBundleId, kCrashNamesTheApp)
                                : StrCat(kCrashNamesTheApp, "\n", kTccdNamesTheBundleId);
    Report report = AnalyzeText(EmbeddedMatcher(), "ticket.txt", text);
    ASSERT_EQ(report.apps.size(), 1u) << report.headline;
    EXPECT_EQ(report.apps[0].name, "Foo Bar");
    EXPECT_EQ(report.apps[0].bundle_id, "com.example.Foo-Bar");
    EXPECT_EQ(report.apps[0].names, std::vector<std::string>{"Foo Bar"}) << "the ID is not one of its names";
    ASSERT_EQ(report.diagnoses.size(), 1u) << report.headline;
    for (const Finding& f : report.findings) EXPECT_EQ(f.app, std::optional<size_t>(0)) << f.rule->id;
  }
}

TEST(AppIdentity, ABundleIdAloneIsShownAsSuchAndAGenericLastComponentJoinsNothing) {
  Report alone = AnalyzeText(EmbeddedMatcher(), "tccd.log", kTccdNamesTheBundleId);
  ASSERT_EQ(alone.apps.size(), 1u);
  EXPECT_EQ(alone.apps[0].name, "com.example.Foo-Bar");
  EXPECT_TRUE(alone.apps[0].names.empty());
  // Another app's name is another app; so is an app called "Desktop" beside com.example.desktop.
  Report two = AnalyzeText(EmbeddedMatcher(), "ticket.txt",
                           StrCat(kTccdNamesTheBundleId, ReplaceAll(kCrashNamesTheApp, "Foo Bar", "Foo")));
  EXPECT_EQ(two.apps.size(), 2u) << two.headline;
  Report generic = AnalyzeText(EmbeddedMatcher(), "ticket.txt",
                               StrCat(ReplaceAll(kTccdNamesTheBundleId, "com.example.Foo-Bar", "com.example.desktop"),
                                      ReplaceAll(kCrashNamesTheApp, "Foo Bar", "Desktop")));
  EXPECT_EQ(generic.apps.size(), 2u) << generic.headline;
}

class AppIdentityFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::ScratchDir("app-identity"); }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  Report Run() {
    AnalyzeOptions options;
    options.inputs = {dir_.string()};
    return Analyze(EmbeddedMatcher(), options);
  }
  fs::path dir_;
};

TEST_F(AppIdentityFiles, EvidenceThatNamesNoAppIsNeverMergedAcrossInputs) {
  // Three crash excerpts of three apps, none with its Process line: three failures, none "the
  // same app", none raised to high confidence by the others.
  for (const char* name : {"a.txt", "b.txt", "c.txt"}) {
    Write(name,
          "Exception Type:  EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
          "Termination Reason:    Namespace CODESIGNING, Code 0x1\n");
  }
  Report report = Run();
  EXPECT_TRUE(report.apps.empty());
  ASSERT_EQ(report.diagnoses.size(), 3u) << report.headline;
  for (const Diagnosis& d : report.diagnoses) {
    EXPECT_FALSE(d.app.has_value());
    EXPECT_EQ(d.confidence, Confidence::kMedium);
    EXPECT_EQ(report.findings[d.finding].hits, 1u);
  }
  EXPECT_EQ(report.headline, "3 failures whose evidence names no app (3 × code signature invalid).");
}

TEST_F(AppIdentityFiles, TheManifestJoinsTheNamesOfTheCollectedApp) {
  // Alone, "Disallowing: com.example.mac-foo" and a crash report of "Foo" share no name; the
  // bundle's manifest says they are one app.
  Write("manifest.json",
        R"({"schema": "tediag.bundle/1", "app": {"name": "Foo", "path": "/Applications/Foo.app",)"
        R"( "bundle_id": "com.example.mac-foo", "executable": "/Applications/Foo.app/Contents/MacOS/Foo"}})");
  Write("events.log", "taskgated-helper: Disallowing: com.example.mac-foo\n");
  Write("Foo.crash",
        "Process:               Foo [377]\n"
        "Exception Type:        EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
        "Termination Reason:    Namespace CODESIGNING, Code 0x1\n");
  Report report = Run();
  ASSERT_EQ(report.apps.size(), 1u) << report.headline;
  EXPECT_EQ(report.apps[0].name, "Foo");
  EXPECT_EQ(report.diagnoses.size(), 1u) << report.headline;
  fs::remove(dir_ / "manifest.json");
  EXPECT_EQ(Run().apps.size(), 2u);
}

}  // namespace
}  // namespace tediag
