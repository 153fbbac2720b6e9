// The leak test for `tediag analyze --redact`: known secrets are planted into real corpus files of
// every kind of input the analyzer reads; each is analysed by the built binary with and without
// --redact in all three formats. Unredacted, the secrets must show (the planting reached the
// report); redacted, none may survive anywhere in the output, the diagnosis must be the same, and
// the values a diagnosis needs must still be there.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;
using testing::Slurp;

// The secrets, as a user's Mac would reveal them.
constexpr std::string_view kUser = "jappleseed";
constexpr std::string_view kEmail = "johnny.appleseed@icloud.com";
constexpr std::string_view kHost = "orchard-07";
constexpr std::string_view kComputer = "Johnny's MacBook Pro";
constexpr std::string_view kSerial = "C02XK1ZZJGH5";
constexpr std::string_view kHardwareUuid = "5B3C1E2A-9F4D-4C8B-A1E2-3D4F5A6B7C8D";
constexpr std::string_view kIpv4 = "192.168.17.42";
constexpr std::string_view kIpv6 = "2001:db8:85a3::8a2e:370:7334";

// Pieces that must not survive, compared in lower case: the secrets and fragments of them.
const std::vector<std::string>& Leaks() {
  static const std::vector<std::string> leaks = {"jappleseed",       "johnny.appleseed", "icloud.com",   "orchard-07",
                                                 "johnny's macbook", "c02xk1zzjgh5",     "5b3c1e2a",     "3d4f5a6b7c8d",
                                                 "192.168.17.42",    "2001:db8:85a3",    "8a2e:370:7334"};
  return leaks;
}

// Values a diagnosis needs, planted beside the secrets: a bundle ID, a Team ID, error codes.
constexpr std::string_view kKeptBundleId = "com.example.OrchardTool";
constexpr std::string_view kKeptTeamId = "ABCDE12345";
constexpr std::string_view kKeptError = "-67062";

// Planted into a message with the context that names each value.
std::string KeyedSentence() {
  return StrCat(" [ticket from ", kEmail, " on ", kComputer, ", ", kHost, ".local, ", kIpv4, " and ", kIpv6,
                ", Hardware UUID: ", kHardwareUuid, ", Serial Number (system): ", kSerial, ", home /Users/", kUser,
                "/Desktop; app ", kKeptBundleId, " team ", kKeptTeamId, " error ", kKeptError, "]");
}

// Planted bare: the host, user, UUID and serial are only known from a context elsewhere in the input.
std::string BareSentence() {
  return StrCat(" [seen on ", kHost, " by ", kUser, ": ", kHardwareUuid, " ", kSerial, " ", kEmail, " ", kIpv4, " ",
                kIpv6, " ", kComputer, "; app ", kKeptBundleId, " team ", kKeptTeamId, " error ", kKeptError, "]");
}

// A line that gives the bare values their context (as system_profiler and a syslog line would).
std::string ContextLine() {
  return StrCat("2023-03-15 21:41:04.000000+0100  ", kHost, " sysinfo[1]: Hardware UUID: ", kHardwareUuid,
                "; Serial Number (system): ", kSerial, "; home /Users/", kUser, "/\n");
}

std::string Corpus(std::string_view relative) {
  std::string text = Slurp(fs::path(TEDIAG_SOURCE_DIR) / "corpora" / relative);
  EXPECT_FALSE(text.empty()) << relative;
  return text;
}

// Replaces every `from` with `to`; a planting that finds nothing fails the test rather than testing less.
std::string Plant(const std::string& text, std::string_view from, std::string_view to) {
  EXPECT_NE(text.find(from), std::string::npos) << "nothing to plant into: " << from;
  return ReplaceAll(text, from, to);
}

std::string AppendToLines(std::string_view text, std::string_view suffix) {
  std::string out;
  for (std::string_view line : Split(text, '\n')) {
    if (!out.empty()) out.push_back('\n');
    out.append(line);
    if (!StripWhitespace(line).empty()) out.append(suffix);
  }
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '/') out.push_back('\\');  // as `log show` escapes slashes
    out.push_back(c);
  }
  return out + "\"";
}

// The messages of the default-style kernel log (the part after "kernel: ").
std::vector<std::string> KernelMessages() {
  std::vector<std::string> messages;
  const std::string log = Corpus("code-signature-invalid/conda-pack-log-stream-invalid-page/kernel.log");
  for (std::string_view line : Split(log, '\n')) {
    size_t at = line.find("kernel: ");
    if (at != std::string_view::npos) messages.emplace_back(line.substr(at + 8));
  }
  return messages;
}

struct Case {
  std::string format;  // the reader that must have read it (InputFormatName)
  std::string file;
  std::string text;
  std::vector<std::string> extra_leaks;  // private values the real corpus file already holds
  std::vector<std::string> kept;         // values from the real file that must stay
};

std::vector<Case> PlantedCases() {
  std::vector<Case> cases;
  // Unified log, default and compact styles: every line carries the bare secrets, and a syslog-style
  // line gives them context.
  cases.push_back(
      {"default",
       "kernel-default.log",
       ContextLine() + AppendToLines(Corpus("code-signature-invalid/conda-pack-log-stream-invalid-page/kernel.log"),
                                     BareSentence()),
       {},
       {"cs_invalid_page", "0x23000200", "/private/var/folders/km/"}});
  cases.push_back({"compact",
                   "kernel-compact.log",
                   ContextLine() + AppendToLines(Corpus("code-signature-invalid/windowserver-compact-cs-debug-10.14.6/"
                                                        "kernel-compact.log"),
                                                 BareSentence()),
                   {},
                   {"0x23007b01", "/private/var/db/dyld/dyld_shared_cache_x86_64h"}});
  // Syslog style with the real host in the host column, ndjson and JSON: the same kernel messages.
  std::string syslog = ContextLine(), ndjson, json = "[";
  for (const std::string& message : KernelMessages()) {
    StrAppend(syslog, "2023-03-15 21:41:04.947799+0100  ", kHost, " kernel[0]: ", message, BareSentence(), "\n");
    std::string record = StrCat(R"({"timestamp":"2023-03-15 21:41:04.947799+0100","processImagePath":"\/kernel",)",
                                R"("processID":0,"messageType":"Default","eventType":"logEvent","subsystem":"",)",
                                R"("category":"","eventMessage":)", JsonString(message + KeyedSentence()), "}");
    StrAppend(ndjson, record, "\n");
    StrAppend(json, json.size() > 1 ? ",\n" : "\n", record);
  }
  json += "\n]\n";
  cases.push_back({"syslog", "kernel-syslog.log", syslog, {}, {"cs_invalid_page"}});
  cases.push_back({"ndjson", "kernel.ndjson", ndjson, {}, {"cs_invalid_page"}});
  cases.push_back({"json", "kernel.json", json, {}, {"cs_invalid_page"}});
  // Loose text (an old system.log): it already names a real user and host.
  cases.push_back(
      {"text",
       "system.log",
       // (the context last: a syslog-style first line would make the whole file syslog)
       AppendToLines(Corpus("sandbox-inheritance/messenger-helper-syslog-reinit/system.log"), BareSentence()) + "\n" +
           ContextLine(),
       {"bryan.jowers", "sfbjowers"},
       {"forbidden-sandbox-reinit", "Messenger Helper"}});
  // A JSON crash report: the app under the user's home, secrets in Application Specific Information.
  std::string ips = Corpus("code-signature-invalid/thelemacus-14.1-invalid-page-ips/Thelemacus-2024-01-18-105552.ips");
  ips = Plant(ips, R"(\/Users\/USER\/)", StrCat(R"(\/Users\/)", kUser, R"(\/)"));
  ips = Plant(
      ips, R"("procName" : "Thelemacus",)",
      StrCat(R"("procName" : "Thelemacus",)", "\n  \"asi\" : {\"Thelemacus\":[", JsonString(KeyedSentence()), "]},"));
  cases.push_back({"ips",
                   "Thelemacus-2024-01-18-105552.ips",
                   ips,
                   {"84b6408c-6e33-51e9-9a61-23e0ef6e6612"},
                   {"org.wxwidgets.Thelemacus"}});
  // A text crash report: machine identifiers in the header, the bare secrets in its ASI.
  std::string crash = Corpus("launch-constraint/signal-desktop-15.0-beta-codesigning4/Signal.crash");
  crash = Plant(crash, "Path:                /Applications/",
                StrCat("Path:                /Users/", kUser, "/Applications/"));
  crash = Plant(crash, "Report Version:      104\n",
                StrCat("Report Version:      104\nAnonymous UUID:      ", kHardwareUuid, "\n"));
  crash = Plant(
      crash, "Launch Constraint Violation",
      StrCat("Launch Constraint Violation\n\nApplication Specific Information:\n", kHost, ".local", BareSentence(),
             " (no serial number in a crash header to learn from: Serial Number (system): ", kSerial, ")"));
  cases.push_back({"crash",
                   "Signal.crash",
                   crash,
                   {"2e2a0d14-dd7c-bc22-326a-a4c1308952fe"},
                   {"org.whispersystems.signal-desktop", "CODESIGNING 4"}});
  // notarytool log JSON: the log of sudoprivacy/sudowork#251 from its brace, as `notarytool log` writes it
  // to a file (the corpus keeps the CI label before it, as published).
  std::string notary = Corpus("notarization/sudowork-notarytool-signature-invalid/notarytool-log.txt");
  notary = notary.substr(std::min(notary.find('{'), notary.size()));
  notary = Plant(notary, R"("message": "The signature of the binary is invalid.")",
                 StrCat(R"("message": )", JsonString("The signature of the binary is invalid." + KeyedSentence())));
  cases.push_back(
      {"notary-log", "notarytool-log.json", notary, {}, {"Sudowork.app", "The signature of the binary is invalid"}});
  // spctl, codesign --verify, stapler, syspolicy_check, xattr and notarytool output.
  std::string spctl = Corpus("notarization/sloth-spctl-unnotarized-developer-id/spctl.txt");
  spctl = Plant(spctl, "/Applications/Utilities/Admin/Sloth.app", StrCat("/Users/", kUser, "/Applications/Sloth.app"));
  spctl = Plant(spctl, "(5WX26Y89JP)", StrCat("(5WX26Y89JP)", KeyedSentence()));
  cases.push_back({"spctl", "spctl.txt", spctl, {}, {"5WX26Y89JP", "Unnotarized Developer ID"}});
  std::string codesign =
      Corpus("restricted-entitlements/nativ-26.6-taskgated-unsatisfied-keychain-access-groups/spctl-codesign.txt");
  codesign = Plant(codesign, "/Applications/Nativ.app", StrCat("/Users/", kUser, "/Applications/Nativ.app"));
  codesign = Plant(codesign, "(WT753TG39U)", StrCat("(WT753TG39U)", KeyedSentence()));
  cases.push_back({"codesign", "spctl-codesign.txt", codesign, {}, {"WT753TG39U"}});
  std::string stapler = Corpus("notarization/gitx-stapler-no-ticket-dmg-and-app/terminal.txt");
  stapler = Plant(
      stapler, "GitX-arm64.dmg does not have a ticket stapled to it.",
      StrCat("/Users/", kUser, "/Downloads/GitX-arm64.dmg does not have a ticket stapled to it.", KeyedSentence()));
  cases.push_back({"stapler", "stapler.txt", stapler, {}, {"4RZN52RN5P"}});
  std::string check = Corpus("notarization/santa-syspolicy-check-notary-error/terminal.txt");
  check =
      Plant(check, "    Type: Notary Error \n", StrCat("    Type: Notary Error \n    Note: ", KeyedSentence(), "\n"));
  check = Plant(check, "File: Santa.app", StrCat("File: /Users/", kUser, "/Applications/Santa.app"));
  cases.push_back({"syspolicy_check", "syspolicy_check.txt", check, {"a2@mac-01", "mac-01"}, {"Notary Error"}});
  std::string xattr = Corpus("negative/codexbar-spctl-cli-not-an-app/terminal.txt");
  xattr = Plant(xattr, "com.apple.quarantine\n",
                StrCat("com.apple.quarantine: 0083;5c54614c;Safari;B555DB5F-D82A-408B-B9A6-D4F4012FD520\n"
                       "com.apple.metadata:kMDItemWhereFroms: ",
                       KeyedSentence(), "\n"));
  cases.push_back({"xattr", "xattr.txt", xattr, {}, {}});
  // notarytool submit --wait, with the values of the notary log above.
  cases.push_back(
      {"notarytool",
       "notarytool.txt",
       StrCat("Conducting pre-submission checks for Sudowork.zip and initiating connection to the Apple notary "
              "service...\nSubmission ID received\n  id: f524e7cf-e4a4-4dfa-a631-2a5bdccf0e18\n"
              "Successfully uploaded file\n  id: f524e7cf-e4a4-4dfa-a631-2a5bdccf0e18\n  path: /Users/",
              kUser,
              "/Desktop/Sudowork.zip\nWaiting for processing to complete.\n"
              "Current status: Invalid....\nProcessing complete\n  id: f524e7cf-e4a4-4dfa-a631-2a5bdccf0e18\n"
              "  status: Invalid\n  note:",
              KeyedSentence(), "\n"),
       {},
       {"f524e7cf-e4a4-4dfa-a631-2a5bdccf0e18"}});
  return cases;
}

class RedactionLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The inputs live under a home folder, so their paths in the report hold the user name too.
    root_ = fs::temp_directory_path() / ("tediag-redact-" + std::to_string(::getpid()));
    dir_ = root_ / "Users" / std::string(kUser) / "Desktop" / "ticket";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Tediag(const fs::path& input, const std::string& args) {
    fs::path out = root_ / "out", err = root_ / "err";
    std::string command = "NO_COLOR=1 '" + std::string(TEDIAG_BINARY) + "' analyze " + args + " '" + input.string() +
                          "' >'" + out.string() + "' 2>'" + err.string() + "'";
    int raw = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << command << "\n" << Slurp(err);
    return Slurp(out);
  }

  static std::vector<std::string> Formats(const std::string& json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::vector<std::string> formats;
    if (parser.parse(json).get(root) != simdjson::SUCCESS) return formats;
    for (simdjson::dom::element format : simdjson::dom::array(root["inputs"].at(0)["formats"])) {
      formats.emplace_back(std::string_view(format));
    }
    return formats;
  }

  static std::vector<std::string> RuleIds(const std::string& json) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::vector<std::string> ids;
    if (parser.parse(json).get(root) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << json;
      return ids;
    }
    // tediag.report/2: each diagnosis's findings, then the others.
    for (simdjson::dom::element diagnosis : simdjson::dom::array(root["diagnoses"])) {
      for (simdjson::dom::element finding : simdjson::dom::array(diagnosis["findings"])) {
        ids.emplace_back(std::string_view(finding["rule"]));
      }
    }
    for (simdjson::dom::element finding : simdjson::dom::array(root["other_findings"])) {
      ids.emplace_back(std::string_view(finding["rule"]));
    }
    return ids;
  }

  fs::path root_, dir_;
};

TEST_F(RedactionLeakTest, NoSecretSurvivesInAnyInputOrFormatAndTheDiagnosisStays) {
  std::vector<std::string> secrets_seen_unredacted;
  size_t cases_with_findings = 0, kept_checked = 0;
  for (const Case& c : PlantedCases()) {
    SCOPED_TRACE(c.file);
    fs::path input = dir_ / c.file;
    std::ofstream(input, std::ios::binary) << c.text;

    std::string plain_json = Tediag(input, "--format json");
    std::string plain_text = ToLower(Tediag(input, "--format text"));
    std::vector<std::string> formats = Formats(plain_json);
    EXPECT_NE(std::find(formats.begin(), formats.end(), c.format), formats.end())
        << "not read as " << c.format << " but " << Join(formats, "+");
    std::vector<std::string> rules = RuleIds(plain_json);
    cases_with_findings += !rules.empty();
    // The planting reached the report: at least the user name (in the input's path) shows.
    EXPECT_NE(plain_text.find(kUser), std::string::npos);
    for (const std::string& leak : Leaks()) {
      if (plain_text.find(leak) != std::string::npos) secrets_seen_unredacted.push_back(leak);
    }

    for (std::string format : {"json", "text", "markdown"}) {
      SCOPED_TRACE(format);
      std::string redacted = Tediag(input, "--redact --format " + format);
      std::string lower = ToLower(redacted);
      std::vector<std::string> leaks = Leaks();
      leaks.insert(leaks.end(), c.extra_leaks.begin(), c.extra_leaks.end());
      for (const std::string& leak : leaks) {
        EXPECT_EQ(lower.find(ToLower(leak)), std::string::npos) << "leaked " << leak << " in\n" << redacted;
      }
      EXPECT_NE(redacted.find(format == "json" ? "\"applied\": true" : "Redacted: replaced"), std::string::npos);
      if (format == "json") {
        EXPECT_EQ(RuleIds(redacted), rules) << "the diagnosis changed";
      }
      // What a diagnosis needs stays, wherever it showed before.
      std::vector<std::string> kept = c.kept;
      for (std::string_view v : {kKeptBundleId, kKeptTeamId, kKeptError}) kept.emplace_back(v);
      for (const std::string& value : kept) {
        if (plain_text.find(ToLower(value)) == std::string::npos) continue;
        ++kept_checked;
        EXPECT_NE(redacted.find(value), std::string::npos) << "lost " << value << " in\n" << redacted;
      }
    }
  }
  // Every secret reached some unredacted report, and most inputs were diagnosed: the test tests something.
  for (const std::string& leak : Leaks()) {
    EXPECT_NE(std::find(secrets_seen_unredacted.begin(), secrets_seen_unredacted.end(), leak),
              secrets_seen_unredacted.end())
        << leak << " never reached a report, so its redaction is untested";
  }
  EXPECT_GE(cases_with_findings, 10u);
  EXPECT_GE(kept_checked, 60u);
}

}  // namespace
}  // namespace tediag
