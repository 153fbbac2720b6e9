// The normalising stage for pasted text: markup undone, wrapped lines joined, flattened reports
// split, the input's line numbers kept, and log exports left alone.
//
// Snippets marked "real" are quoted from public issue threads, as posted (the realworld set,
// /work/shared/realworld, where each is credited in full); the others are built from real lines.
#include "read/paste_normalizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analyzer.h"
#include "read/input_reader.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using testing::ReadText;

// The normalised text, or the input itself when nothing needed changing.
std::string Normalized(std::string_view text) {
  PasteNormalizer normalizer;
  return normalizer.Normalize(text) ? std::string(normalizer.text()) : std::string(text);
}

// The normalised lines that are not empty.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string normalized = Normalized(text);
  for (std::string_view line : Split(normalized, '\n')) {
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

const testing::ReadRecord* FindRecord(const testing::ReadResult& result, std::string_view needle) {
  for (const auto& record : result.records) {
    if (Contains(record.text, needle) || Contains(record["message"], needle)) return &record;
  }
  return nullptr;
}

const testing::ReadRecord* FindCrash(const testing::ReadResult& result) {
  for (const auto& record : result.records) {
    if (record.kind == RecordKind::kCrashReport) return &record;
  }
  return nullptr;
}

// ---- 1. Markup ----

TEST(PasteNormalizer, QuotedCrashReportReadsAsACrashReport) {
  // Real: electron/electron#51351, a comment by abdulahad-m (2026-04-29), every line behind "> ".
  auto result = ReadText(
      "**Crash report (Helper GPU process)**\n"
      "\n"
      "> Process: OneScreen Guru Helper (GPU)\n"
      "> OS: macOS 15.6.1 (24G90)\n"
      "> Architecture: ARM-64\n"
      "> \n"
      "> Exception Type: EXC_BREAKPOINT (SIGTRAP)\n"
      "> Termination Reason: SIGNAL 5 Trace/BPT trap\n"
      "> Application Specific Signatures: SYSCALL_SET_USERLAND_PROFILE\n"
      "> \n"
      "> Thread 0 Crashed:\n"
      "> 0 libsystem_secinit.dylib _libsecinit_appsandbox.cold.9\n"
      "> 1 libsystem_secinit.dylib _libsecinit_appsandbox\n");
  const testing::ReadRecord* crash = FindCrash(result);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->fields.at("exception_type"), "EXC_BREAKPOINT");
  EXPECT_EQ(crash->fields.at("signal"), "SIGTRAP");
  EXPECT_EQ(crash->fields.at("app_specific"), "SYSCALL_SET_USERLAND_PROFILE");
  EXPECT_NE(crash->fields.at("frames").find("libsystem_secinit.dylib _libsecinit_appsandbox.cold.9"),
            std::string::npos);
  EXPECT_EQ(crash->line, 7u);  // located at its Exception Type line, as the input numbers it
}

TEST(PasteNormalizer, NestedQuotesAndQuotesWithoutASpace) {
  EXPECT_EQ(Lines("> > amfid: /Applications/X.app/Contents/MacOS/X not valid\n"
                  ">> kernel: AMFI: code signature validation failed.\n"
                  "\n"
                  ">amfid: no space after the marker\n"),
            (std::vector<std::string>{"amfid: /Applications/X.app/Contents/MacOS/X not valid",
                                      "kernel: AMFI: code signature validation failed.",
                                      "amfid: no space after the marker"}));
}

TEST(PasteNormalizer, AQuotedBlockLosesTheDepthItsLinesShare) {
  // The second line's own '>' (a shell continuation prompt, quoted) is text, not a deeper quote.
  EXPECT_EQ(Lines("> $ cat <<EOF\n"
                  "> > continued\n"),
            (std::vector<std::string>{"$ cat <<EOF", "> continued"}));
}

TEST(PasteNormalizer, FencesAreDroppedAndTheirContentKeptVerbatim) {
  // Real: getpaseo/paseo#3346 (a fence without a tag) and r266-tech/wxkey#2; the ~~~ and
  // tagged fences are built around the same kind of line.
  std::string text =
      "Unified TCC logging attributes `SkyComputerUseClient` to responsible bundle `sh.paseo.desktop`:\n"
      "\n"
      "```\n"
      "Policy disallows prompt for sh.paseo.desktop; access denied\n"
      "```\n"
      "~~~text\n"
      "kernel: **not bold** in a fence, `ticks` too\n"
      "~~~\n"
      "```log\n"
      "amfid: /A.app/Contents/MacOS/A not valid\n"
      "```\n";
  EXPECT_EQ(Normalized(text),
            "Unified TCC logging attributes SkyComputerUseClient to responsible bundle sh.paseo.desktop:\n"
            "\n"
            "\n"
            "Policy disallows prompt for sh.paseo.desktop; access denied\n"
            "\n"
            "\n"
            "kernel: **not bold** in a fence, `ticks` too\n"
            "\n"
            "\n"
            "amfid: /A.app/Contents/MacOS/A not valid\n"
            "\n");
}

TEST(PasteNormalizer, OtherTrackersBlocksAreFencesToo) {
  // Jira and BBCode forums wrap logs in their own tags; a chat's ``` on the text's own line is
  // a code span, not a fence whose first line would be lost.
  EXPECT_EQ(Lines("{code:none}\n"
                  "kernel: **literal** here\n"
                  "{code}\n"
                  "{quote}\n"
                  "amfid: quoted\n"
                  "{quote}\n"
                  "[CODE]\n"
                  "tccd: in bbcode\n"
                  "[/CODE]\n"
                  "```Exception Type: EXC_CRASH (SIGKILL (Code Signature Invalid))\n"
                  "Termination Reason: Namespace CODESIGNING, Code 0x2```\n"),
            (std::vector<std::string>{"kernel: **literal** here", "amfid: quoted", "tccd: in bbcode",
                                      "Exception Type: EXC_CRASH (SIGKILL (Code Signature Invalid))",
                                      "Termination Reason: Namespace CODESIGNING, Code 0x2"}));
}

TEST(PasteNormalizer, IndentedLogLinesUnderASentenceLoseTheirIndentation) {
  // An e-mail quoting `log show` lines under the sentence that introduces them.
  auto result = ReadText(
      "I see this in the log when it fails:\n"
      "    2024-01-12 10:11:12.123456-0800 0x1f4      Default     0x0      401    0    amfid: /A.app/Contents/MacOS/A "
      "not valid: Error Domain=AppleMobileFileIntegrityError Code=-423\n");
  const testing::ReadRecord* amfid = FindRecord(result, "Code=-423");
  ASSERT_NE(amfid, nullptr);
  EXPECT_EQ((*amfid)["process"], "amfid");
  EXPECT_EQ((*amfid)["timestamp"], "2024-01-12 10:11:12.123456-0800");
  EXPECT_EQ(amfid->line, 2u);
  EXPECT_EQ(Normalized("a\xC2\xAD"
                       "b\n"),
            "ab\n");  // a soft hyphen
}

TEST(PasteNormalizer, TranslatedReportInAFenceAfterProseIsACrashReport) {
  // Built from the fields of a real Translated Report (mamiksik/Desktop-Profiles#6), fenced as posts do.
  auto result = ReadText(
      "The app quits at once. Console shows this report:\n"
      "\n"
      "```text\n"
      "Translated Report (Full Report Below)\n"
      "-------------------------------------\n"
      "\n"
      "Process:               DesktopProfiles [3942]\n"
      "Path:                  /Volumes/VOLUME/*/DesktopProfiles.app/Contents/MacOS/DesktopProfiles\n"
      "Identifier:            com.mamiksik.DesktopProfiles\n"
      "\n"
      "Exception Type:        EXC_CRASH (Code Signature Invalid)\n"
      "Exception Codes:       0x0000000000000000, 0x0000000000000000\n"
      "\n"
      "Termination Reason:    Namespace CODESIGNING, Code 0x1\n"
      "```\n"
      "\n"
      "Any idea?\n");
  const testing::ReadRecord* crash = FindCrash(result);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->fields.at("process"), "DesktopProfiles");
  EXPECT_EQ(crash->fields.at("signal"), "Code Signature Invalid");
  EXPECT_EQ(crash->fields.at("termination_namespace"), "CODESIGNING");
  EXPECT_EQ(crash->line, 11u);
  ASSERT_NE(FindRecord(result, "Any idea?"), nullptr);
}

TEST(PasteNormalizer, ABlockIndentedAsCodeLosesItsIndentation) {
  // Real: the qwrap report on Tahoe (VMD), a four-space code block after prose.
  EXPECT_EQ(Lines("This is not really an issue but a reminder. Under Tahoe, `load qwrap.so` fails with an error like\n"
                  "\n"
                  "    '[...]/qwrap/qwrap.so.1.6' not valid for use in process: mapping process and mapped file "
                  "(non-platform) have different Team IDs)\n"
                  "\n"
                  "\tcodesign --force --sign - qwrap.so\n")[1],
            "'[...]/qwrap/qwrap.so.1.6' not valid for use in process: mapping process and mapped file (non-platform) "
            "have different Team IDs)");
  EXPECT_EQ(Lines("text\n\n\tcodesign --force --sign - qwrap.so\n")[1], "codesign --force --sign - qwrap.so");
}

TEST(PasteNormalizer, BoldEmphasisAndQuotesAroundALogLineGo) {
  // Real: vincedev/MailCoreSPM#3, a quoted dyld error in bold and italics.
  std::vector<std::string> lines = Lines(
      "Here's the error I get:\n"
      "\n"
      "> **dyld[72581]: Library not loaded: @rpath/MailCore.framework/Versions/A/MailCore**\n"
      "> _code signature in <...> '/Users/.../Library/Developer/Xcode/DerivedData/MyApp-gzqkbbrjqdkwkyfdvbgtuywdvkjh/"
      "Build/Products/Debug/MailCore.framework/Versions/A/MailCore' not valid for use in process: mapped file has no "
      "Team ID and is not a platform binary (signed with custom identity or adhoc?)_\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "dyld[72581]: Library not loaded: @rpath/MailCore.framework/Versions/A/MailCore");
  EXPECT_TRUE(lines[2].starts_with("code signature in <...> '/Users/"));
  EXPECT_TRUE(lines[2].ends_with("(signed with custom identity or adhoc?)"));
  EXPECT_EQ(Lines("__bold words__ and *emphasis* here")[0], "bold words and emphasis here");
}

TEST(PasteNormalizer, ListBulletsInFrontOfLogLinesGo) {
  auto result = ReadText(
      "- amfid: /Applications/X.app/Contents/MacOS/X not valid: Error Domain=AppleMobileFileIntegrityError Code=-423\n"
      "* kernel[0]: Sandbox: Helper(7649) deny(1) forbidden-sandbox-reinit\n"
      "12. tccd[171]: Policy disallows prompt for com.example.app; access to kTCCServiceAppleEvents denied\n");
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[0]["process"], "amfid");
  EXPECT_EQ(result.records[1]["process"], "kernel");
  EXPECT_EQ(result.records[2]["process"], "tccd");
  EXPECT_EQ(result.records[2].line, 3u);
}

TEST(PasteNormalizer, HtmlEntitiesAndTagsAreUndone) {
  EXPECT_EQ(Lines("amfid: /A.app/Contents/MacOS/A not valid: Code=-423 &quot;The file is adhoc signed&quot; &amp; "
                  "&lt;private&gt; it&#39;s&nbsp;here &#x2F;&#47;\n"),
            (std::vector<std::string>{"amfid: /A.app/Contents/MacOS/A not valid: Code=-423 \"The file is adhoc "
                                      "signed\" & <private> it's here //"}));
  // Real: a GitHub comment on Amplitude-Swift, the full log folded in <details>.
  EXPECT_EQ(Lines("<details>\n"
                  "<summary>full dyld logs</summary>\n"
                  "\n"
                  "dyld[45002]: Library not loaded: @rpath/AnalyticsConnector.framework/Versions/A/AnalyticsConnector\n"
                  "</details>\n"
                  "first line<br>second line<br/>third\n"),
            (std::vector<std::string>{"full dyld logs",
                                      "dyld[45002]: Library not loaded: @rpath/AnalyticsConnector.framework/Versions/A/"
                                      "AnalyticsConnector",
                                      "first line", "second line", "third"}));
}

TEST(PasteNormalizer, EscapesInvisibleCharactersAndCurlyQuotesAreCleaned) {
  EXPECT_EQ(Normalized("\x1b[31mkernel\x1b[0m: AMFI:\xC2\xA0"
                       "code\xE2\x80\xAF"
                       "signature "
                       "valid\xE2\x80\x8B"
                       "ation\xE2\x80\x8D \xEF\xBB\xBF"
                       "failed\n"),
            "kernel: AMFI: code signature validation failed\n");
  // Real: the dialog text of DocKit#210, retyped with the system's curly quotes.
  EXPECT_EQ(Normalized("\xE2\x80\x9C"
                       "DocKit_0.6.8_universal.dmg\xE2\x80\x9D was not opened because it "
                       "contains malware. It\xE2\x80\x99s blocked.\n"),
            "\"DocKit_0.6.8_universal.dmg\" was not opened because it contains malware. It's blocked.\n");
}

// ---- 2. Wrapping ----

TEST(PasteNormalizer, AWrappedTccdMessageIsJoinedAndTheNextMessageIsNot) {
  // Real: getpaseo/paseo#3346, wrapped by its poster after the service name.
  std::string text =
      "```\n"
      "Prompting policy for hardened runtime; service kTCCServiceAppleEvents\n"
      "requires entitlement com.apple.security.automation.apple-events but it\n"
      "is missing for responsible=sh.paseo.desktop\n"
      "Policy disallows prompt for sh.paseo.desktop; access denied\n"
      "```\n";
  EXPECT_EQ(Lines(text),
            (std::vector<std::string>{
                "Prompting policy for hardened runtime; service kTCCServiceAppleEvents requires entitlement "
                "com.apple.security.automation.apple-events but it is missing for responsible=sh.paseo.desktop",
                "Policy disallows prompt for sh.paseo.desktop; access denied"}));
  auto result = ReadText(text);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].line, 2u);  // the joined message keeps the number of its first line
  EXPECT_EQ(result.records[1].line, 5u);
}

TEST(PasteNormalizer, AnInlineCodeSpanOverSeveralLinesIsOneMessage) {
  // Real: streamlabs/desktop#4789, a tccd message in backticks over six lines.
  EXPECT_EQ(
      Lines("Should fix this:\n"
            "\n"
            "`Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires entitlement \n"
            "com.apple.security.automation.apple-events but it is missing for accessing=\n"
            "{identifier=com.streamlabs.slobs, pid=876, auid=501, euid=501, \n"
            "binary_path=/Applications/Streamlabs Desktop.app/Contents/MacOS/Streamlabs Desktop}, \n"
            "requesting={identifier=com.apple.appleeventsd, pid=282, auid=55, euid=55, \n"
            "binary_path=/System/Library/CoreServices/appleeventsd},`\n")[1],
      "Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires entitlement "
      "com.apple.security.automation.apple-events but it is missing for accessing={identifier=com.streamlabs.slobs, "
      "pid=876, auid=501, euid=501, binary_path=/Applications/Streamlabs Desktop.app/Contents/MacOS/Streamlabs "
      "Desktop}, requesting={identifier=com.apple.appleeventsd, pid=282, auid=55, euid=55, "
      "binary_path=/System/Library/CoreServices/appleeventsd},");
  // Real: UsefulSoftwareCo/executor#1876, the span opened in the middle of hard-wrapped prose.
  EXPECT_TRUE(Contains(Lines("before, tccd logs `AccessRequestIndirect: Policy disallows prompt for\n"
                             "sh.executor.desktop; access to kTCCServiceAppleEvents denied`; after, it logs\n")[0],
                       "Policy disallows prompt for sh.executor.desktop; access to kTCCServiceAppleEvents denied"));
}

TEST(PasteNormalizer, AnAmfidMessageContinuedOnAnIndentedLineIsJoined) {
  // Real: r266-tech/wxkey#2.
  auto result = ReadText(
      "```\n"
      "amfid: .../WeChat-shadow.app/Contents/MacOS/WeChat not valid:\n"
      "  AppleMobileFileIntegrityError Code=-423 \"The file is adhoc signed or signed by an unknown certificate "
      "chain\"\n"
      "```\n");
  const testing::ReadRecord* amfid = FindRecord(result, "Code=-423");
  ASSERT_NE(amfid, nullptr);
  EXPECT_EQ((*amfid)["process"], "amfid");
  EXPECT_EQ(amfid->text,
            "amfid: .../WeChat-shadow.app/Contents/MacOS/WeChat not valid: AppleMobileFileIntegrityError Code=-423 "
            "\"The file is "
            "adhoc signed or signed by an unknown certificate chain\"");
  EXPECT_EQ(amfid->line, 2u);
}

TEST(PasteNormalizer, AWrappedDyldMessageAndAWordCutAtAHyphenAreJoined) {
  EXPECT_EQ(Lines("dyld[962]: Library not loaded: @rpath/libfoo.dylib Reason: tried: '/A.app/Contents/Frameworks/"
                  "libfoo.dylib' (code signature in <4C4C4421-5555-3144-A1F6-E07CD7537C3E> "
                  "'/A.app/Contents/Frameworks/libfoo.dylib' not valid for use in process: library load\n"
                  "denied by system policy)\n"),
            (std::vector<std::string>{
                "dyld[962]: Library not loaded: @rpath/libfoo.dylib Reason: tried: '/A.app/Contents/Frameworks/"
                "libfoo.dylib' (code signature in <4C4C4421-5555-3144-A1F6-E07CD7537C3E> '/A.app/Contents/Frameworks/"
                "libfoo.dylib' not valid for use in process: library load denied by system policy)"}));
  EXPECT_EQ(Lines("Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires the "
                  "com.apple.security.automation.apple-\n"
                  "events entitlement\n")[0],
            "Prompting policy for hardened runtime; service: kTCCServiceAppleEvents requires the "
            "com.apple.security.automation.apple-events entitlement");
}

TEST(PasteNormalizer, AMessageWrappedAtWordsIsJoinedWhateverTheCaseOfItsLines) {
  // Real: klpod221/kerminal#6 (dyld's lines of a Translated Report, by grayson85), wrapped at 72
  // columns at words as an e-mail client does: a line ends where the next word would not fit.
  std::vector<std::string> lines = Lines(
      "Termination Reason:    Namespace DYLD, Code 1 Library missing\n"
      "Library not loaded: @rpath/Electron Framework.framework/Electron\n"
      "Framework\n"
      "Referenced from: <4C4C44F6-5555-3144-A1AD-DE7FF7486AE5>\n"
      "/Users/USER/Desktop/Kerminal.app/Contents/MacOS/Kerminal\n"
      "Reason: tried:\n"
      "'/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron\n"
      "Framework.framework/Electron Framework' (code signature in\n"
      "<4C4C443F-5555-3144-A179-1C0DD1A96A48>\n"
      "'/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron\n"
      "Framework.framework/Versions/A/Electron Framework' not valid for use in\n"
      "process: mapping process and mapped file (non-platform) have different\n"
      "Team IDs)\n");
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "Termination Reason:    Namespace DYLD, Code 1 Library missing",
                "Library not loaded: @rpath/Electron Framework.framework/Electron Framework",
                "Referenced from: <4C4C44F6-5555-3144-A1AD-DE7FF7486AE5> "
                "/Users/USER/Desktop/Kerminal.app/Contents/MacOS/Kerminal",
                "Reason: tried: '/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron Framework.framework/"
                "Electron Framework' (code signature in <4C4C443F-5555-3144-A179-1C0DD1A96A48> "
                "'/Users/p1321318/Desktop/Kerminal.app/Contents/Frameworks/Electron Framework.framework/Versions/A/"
                "Electron Framework' not valid for use in process: mapping process and mapped file (non-platform) have "
                "different Team IDs)"}));
}

TEST(PasteNormalizer, LinesCutAtATerminalsWidthJoinExactly) {
  // A kernel message as an 80-column terminal shows it, cut mid-word.
  std::string message =
      "2024-03-01 10:00:00.000000-0800 0x1f4  Default  0x0  0  0  kernel: CODE SIGNING: cs_invalid_page(0x104f3c000): "
      "p=73514[GoogleSoftwareUp] final status 0x23000200, denying page sending SIGKILL";
  std::string wrapped;
  for (size_t i = 0; i < message.size(); i += 80) wrapped += message.substr(i, 80) + "\n";
  EXPECT_EQ(Lines(wrapped), std::vector<std::string>{message});
}

TEST(PasteNormalizer, SeparateMessagesStaySeparate) {
  // Real: claude-code#86516 (two xprotectd lines) and rust-lang/cargo#10060 (Console lines).
  std::vector<std::string> xprotect = {"xprotectd: Killing container due to rules engine deny",
                                       "xprotectd: Prompting user about blocked scripted malware execution"};
  EXPECT_EQ(Lines("```\n" + xprotect[0] + "\n" + xprotect[1] + "\n```\n"), xprotect);
  std::vector<std::string> console = {
      "default 11:54:02.325853-0800    kernel  ASP: Security policy would not allow process: 33133, "
      "/Users/eric/Proj/rust/toml-rs/scratch/a/target/debug/a-337f91948997ff1e",
      "default 11:54:02.325856-0800    kernel  ASP: Could not find reference 20142, process must have died"};
  EXPECT_EQ(Lines(console[0] + "\n" + console[1] + "\n"), console);
  // Identical lines of one length are a repeated message, not a terminal's wrap.
  std::string repeated;
  for (int i = 0; i < 5; ++i) repeated += "kernel[0]: Sandbox: Helper(7649) deny(1) forbidden-sandbox-reinit\n";
  EXPECT_EQ(Lines(repeated).size(), 5u);
  // A command at a prompt and what it prints; a line that quotes a message after prose.
  EXPECT_EQ(Lines("$ open ~/Downloads/Neovide\\ 2.app/\n"
                  "LSOpenURLsWithRole() failed with error -10810 for the file /Users/o/Downloads/Neovide 2.app.\n")
                .size(),
            2u);
  EXPECT_EQ(Lines("According to the Console Application the embedded provisioning profile is not valid:\n"
                  "`embedded provisioning profile not valid: file:///A.app/Contents/embedded.provisionprofile`\n")
                .size(),
            2u);
  // A program's two lines printed twice (raphamorim/rio, utmctl), and log lines of one length that
  // each end a sentence (the shape of AMFI's kernel lines): each stays its own message.
  std::vector<std::string> utmctl = {"Error from event: The operation couldn’t be completed. (OSStatus error -1743.)",
                                     "NOTE: utmctl does not work from SSH sessions or before logging in."};
  EXPECT_EQ(Lines("```\n" + utmctl[0] + "\n" + utmctl[1] + "\n" + utmctl[0] + "\n" + utmctl[1] + "\nUUID\n```\n"),
            (std::vector<std::string>{utmctl[0], utmctl[1], utmctl[0], utmctl[1], "UUID"}));
  std::string amfi;
  for (int i = 10; i < 14; ++i) {
    amfi += "default\t20:07:34.101395 -0700\tkernel\tAMFI: '/Applications/Z.app/Contents/MacOS/lib" +
            std::to_string(i) + ".dylib' is adhoc signed.\n";
  }
  amfi += "execution error: Not authorized to send Apple events to Finder. (-1743)\n";
  EXPECT_EQ(Lines(amfi).size(), 5u);
}

// ---- 3. Flattening ----

TEST(PasteNormalizer, AFlattenedCrashReportIsSplitAtItsKeys) {
  // The fields of mamiksik/Desktop-Profiles#6 run together, as forum pages flatten a post.
  auto result = ReadText(
      "My app dies: Process: DesktopProfiles [3942] Path: /Applications/DesktopProfiles.app/Contents/MacOS/"
      "DesktopProfiles Identifier: com.mamiksik.DesktopProfiles Version: ??? Code Type: X86-64 (Native) "
      "Parent Process: ??? [1] Responsible: DesktopProfiles [3942] User ID: 501 Date/Time: 2019-12-16 "
      "13:33:14.639 -0800 OS Version: Mac OS X 10.14.6 (18G103) Exception Type: EXC_CRASH (Code Signature "
      "Invalid) Exception Codes: 0x0000000000000000, 0x0000000000000000 Termination Reason: Namespace "
      "CODESIGNING, Code 0x1\n");
  const testing::ReadRecord* crash = FindCrash(result);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->fields.at("process"), "DesktopProfiles");
  EXPECT_EQ(crash->fields.at("bundle_id"), "com.mamiksik.DesktopProfiles");
  EXPECT_EQ(crash->fields.at("parent"), "???");
  EXPECT_EQ(crash->fields.at("signal"), "Code Signature Invalid");
  EXPECT_EQ(crash->fields.at("termination_namespace"), "CODESIGNING");
  EXPECT_EQ(crash->line, 1u);
  // Prose that names a key or two is not a report.
  EXPECT_EQ(Lines("The Exception Type: line said EXC_CRASH and the Path: was /Applications, nothing more to add here.")
                .size(),
            1u);
}

TEST(PasteNormalizer, AVerdictFieldQuotedInASentenceIsReadAsTheField) {
  // Real: muttleyxd/arma3-unix-launcher#293 (agileandy, 2025-01-08), curly quotes as posted.
  const std::string arma =
      "I don't know if this is an issue for my machine specifically, or Apple security, but the app crashes on "
      "launch with an error - \u201cTermination Reason: Namespace CODESIGNING, Code 0x2\u201d.\n";
  EXPECT_EQ(Lines(arma),
            (std::vector<std::string>{"I don't know if this is an issue for my machine specifically, or Apple "
                                      "security, but the app crashes on launch with an error -",
                                      "Termination Reason: Namespace CODESIGNING, Code 0x2"}));
  auto result = ReadText(arma);
  const testing::ReadRecord* crash = FindCrash(result);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->fields.at("termination_namespace"), "CODESIGNING");
  EXPECT_EQ(crash->line, 1u);
  // The same in a fence, where curly quotes are kept, and with prose after the closing quote.
  EXPECT_EQ(
      Lines("```\nIt died (Exception Type: EXC_CRASH (Code Signature Invalid)) twice today.\n```\n"),
      (std::vector<std::string>{"It died", "Exception Type: EXC_CRASH (Code Signature Invalid)", "twice today."}));
  // Unquoted, only a value of the field's own form is cut out; prose that names the key is not.
  EXPECT_EQ(
      Lines("it quits with Termination Reason: Namespace CODESIGNING, Code 4, Launch Constraint Violation\n").back(),
      "Termination Reason: Namespace CODESIGNING, Code 4, Launch Constraint Violation");
  EXPECT_EQ(Lines("Look at the Termination Reason: it tells the namespace.\n").size(), 1u);
}

// ---- 4. Line numbers ----

TEST(PasteNormalizer, EveryOutputLineMapsToItsInputLine) {
  PasteNormalizer normalizer;
  ASSERT_TRUE(
      normalizer.Normalize("```\n"  // 0: dropped, an empty line
                           "Prompting policy for hardened runtime; service: kTCCServiceAppleEvents\n"  // 1
                           "requires entitlement X\n"                                                  // 2: joined to 1
                           "```\n"                                                                     // 3
                           "a<br>b\n"));                                                               // 4: two lines
  EXPECT_EQ(
      normalizer.text(),
      "\nPrompting policy for hardened runtime; service: kTCCServiceAppleEvents requires entitlement X\n\na\nb\n");
  std::vector<uint64_t> sources;
  for (uint64_t i = 0; i < 5; ++i) sources.push_back(normalizer.SourceLine(i));
  EXPECT_EQ(sources, (std::vector<uint64_t>{0, 1, 3, 4, 4}));
}

TEST(PasteNormalizer, RecordsAndErrorsCarryTheInputsLineNumbers) {
  auto result = ReadText(
      "> Some prose before the log.\n"
      ">\n"
      "> ```\n"
      "> {\"eventMessage\":\"broken\", \"processID\": }\n"
      "> amfid: /A.app/Contents/MacOS/A not valid:\n"
      ">     AppleMobileFileIntegrityError Code=-423\n"
      "> kernel: AMFI: code signature validation failed.\n"
      "> ```\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].first, 4u);
  ASSERT_NE(FindRecord(result, "Code=-423"), nullptr);
  EXPECT_EQ(FindRecord(result, "Code=-423")->line, 5u);
  ASSERT_NE(FindRecord(result, "AMFI"), nullptr);
  EXPECT_EQ(FindRecord(result, "AMFI")->line, 7u);
}

// ---- 5. Does no harm ----

TEST(PasteNormalizer, LogExportsTakeTheFastPath) {
  EXPECT_TRUE(PasteNormalizer::LooksLikeLogExport(
      "Filtering the log data using \"process == \\\"amfid\\\"\"\n"
      R"({"timestamp":"2024-01-12 10:11:12.123456-0800","processID":401,"eventMessage":"a > b"})"
      "\n"));
  EXPECT_TRUE(PasteNormalizer::LooksLikeLogExport(
      "Timestamp                       Thread     Type        Activity             PID    TTL  \n"
      "2024-01-12 10:11:12.123456-0800 0x1f4      Default     0x0                  401    0    amfid: a > b\n"));
  EXPECT_TRUE(
      PasteNormalizer::LooksLikeLogExport("{\"app_name\":\"Foo\",\"bug_type\":\"309\"}\n{\n  \"uptime\" : 1\n}\n"));
  // A pretty JSON document copied from a web page, indented with no-break spaces, is cleaned.
  EXPECT_FALSE(PasteNormalizer::LooksLikeLogExport("{\n\xC2\xA0\xC2\xA0\"status\" : \"Invalid\"\n}\n"));
  EXPECT_EQ(Normalized("{\n\xC2\xA0\xC2\xA0\"status\" : \"Invalid\"\n}\n"), "{\n  \"status\" : \"Invalid\"\n}\n");
  EXPECT_FALSE(
      PasteNormalizer::LooksLikeLogExport("> 2024-01-12 10:11:12.123456-0800 0x1f4 Default 0x0 401 0 amfid: x\n"));
  EXPECT_FALSE(PasteNormalizer::LooksLikeLogExport(
      "Here is my log:\n```\n2024-01-12 10:11:12.123456-0800 0x1 Default 0x0 1 0 a: b\n"));
}

// Checks that every record's text points into the buffer given to the reader: nothing was copied
// or rewritten.
class InPlaceSink : public RecordSink {
 public:
  explicit InPlaceSink(std::string_view input) : input_(input) {}
  void OnRecord(const Record& record) override {
    ++records;
    std::string_view message = record.Get(Field::kMessage);
    if (message.empty() || message.data() < input_.data() ||
        message.data() + message.size() > input_.data() + input_.size()) {
      ++copied;
    }
  }
  void OnError(uint64_t, std::string_view) override {}
  void OnFormat(InputFormat) override {}
  size_t records = 0, copied = 0;

 private:
  std::string_view input_;
};

TEST(PasteNormalizer, ALogExportIsReadInPlaceByteForByte) {
  std::string export_text =
      "Timestamp                       Thread     Type        Activity             PID    TTL  \n"
      "2024-01-12 10:11:12.123456-0800 0x1f4      Default     0x0                  401    0    amfid: /A.app "
      "not valid: `x` **y** &gt; \xE2\x80\x9Cquoted\xE2\x80\x9D\n"
      "2024-01-12 10:11:12.123457-0800 0x1f4      Default     0x0                  401    0    kernel: line one\n"
      "    an indented continuation\n"
      "> not a quote in an export\n";
  InputReader reader;
  InPlaceSink sink(export_text);
  reader.Read(export_text, sink);
  EXPECT_EQ(sink.records, 2u);
  EXPECT_EQ(sink.copied, 0u);
}

TEST(PasteNormalizer, PlainTextWithoutMarkupIsNotRewritten) {
  PasteNormalizer normalizer;
  EXPECT_FALSE(
      normalizer.Normalize("kernel: AMFI: code signature validation failed.\n"
                           "Termination Reason: Namespace CODESIGNING, Code 0x1\n"));
}

TEST(PasteNormalizer, ACrashReportsStructureIsLeftAlone) {
  // Real: mamiksik/Desktop-Profiles#6 (macOS 10.14.6), key lines with aligned values, an
  // indented VM region, a thread list and binary images.
  std::string report =
      "Process:               DesktopProfiles [3942]\n"
      "Path:                  /Volumes/VOLUME/*/DesktopProfiles.app/Contents/MacOS/DesktopProfiles\n"
      "Identifier:            com.mamiksik.DesktopProfiles\n"
      "\n"
      "Exception Type:        EXC_CRASH (Code Signature Invalid)\n"
      "Termination Reason:    Namespace CODESIGNING, Code 0x1\n"
      "\n"
      "kernel messages:\n"
      "\n"
      "VM Regions Near 0 (cr2):\n"
      "--> \n"
      "    __TEXT                 0000000107791000-00000001077b8000 [  156K] r-x/rwx SM=COW  \n"
      "\n"
      "Thread 0 Crashed:\n"
      "0                                 \t0x000000010a4f7000 _dyld_start + 0\n"
      "\n"
      "Binary Images:\n"
      "       0x107791000 -        0x1077b7fff +com.mamiksik.DesktopProfiles (1.0 - 1) <D5B3> "
      "/Volumes/VOLUME/*/DesktopProfiles.app/Contents/MacOS/DesktopProfiles\n"
      "       0x10a4f6000 -        0x10a5609ef  dyld (655.1.1) <3EBA> /usr/lib/dyld\n";
  EXPECT_EQ(Normalized(report), report);
  // The same in a fence behind quote markers: only the markup goes.
  std::string quoted = "> ```\n";
  for (std::string_view line : Split(report, '\n')) quoted += "> " + std::string(line) + "\n";
  quoted.resize(quoted.size() - 3);  // no marker after the last line
  quoted += "> ```\n";
  std::string expected = "\n" + report + "\n";
  EXPECT_EQ(Normalized(quoted), expected);
}

TEST(PasteNormalizer, JsonIsLeftAlone) {
  // A pretty .ips body (fields as macOS 12+ writes them) pasted after prose, with curly quotes
  // and markup characters inside its strings, and an ndjson line.
  std::string body =
      "{\n"
      "  \"procPath\" : \"\\/Applications\\/Foo **beta**.app\\/Contents\\/MacOS\\/Foo\",\n"
      "  \"exception\" : {\"codes\":\"0x0000000000000000, 0x0000000000000000\",\"type\":\"EXC_CRASH\","
      "\"signal\":\"SIGKILL (Code Signature Invalid)\"},\n"
      "  \"termination\" : {\"namespace\":\"CODESIGNING\",\"indicator\":\"Invalid Page\",\n"
      "    \"details\":[\"\xE2\x80\x9C"
      "Foo\xE2\x80\x9D &amp; `bar`\"]}\n"
      "}\n";
  std::string ndjson =
      R"({"timestamp":"2024-01-12 10:11:12.123456-0800","processID":401,"eventMessage":"a > b *c* `d` &lt;"})"
      "\n";
  std::string text = "The report:\n\n" + body + "\n" + ndjson;
  EXPECT_EQ(Normalized(text), text);
}

// A plist pasted in a fence, indented as Xcode shows it (the XProtect.plist listing of
// Mingzhi/SCZ-BasicEncodingRules-iOS#8): each element stays a line of its own, never joined to the
// one before it as a wrapped message is.
TEST(PasteNormalizer, LinesOfXmlAreNotJoined) {
  std::string text =
      "```xml\n"
      "    <array>\n"
      "        <string>OSX.Mughthesec.B</string>\n"
      "        <string>OSX.Genieo</string>\n"
      "        <true/>\n"
      "    </array>\n"
      "```\n";
  std::string out = Normalized(text);
  EXPECT_NE(out.find("<string>OSX.Mughthesec.B</string>\n"), std::string::npos) << out;
  EXPECT_NE(out.find("<string>OSX.Genieo</string>\n"), std::string::npos) << out;
  EXPECT_NE(out.find("<true/>\n"), std::string::npos) << out;
}

TEST(PasteNormalizer, LogTextThatLooksLikeMarkupIsKept) {
  std::string lines =
      "kernel: Sandbox: deny(1) file-read-data /Users/*/Library/Containers/*/Data and __TEXT __DATA_CONST "
      "*** Terminating app due to uncaught exception ***\n"
      "2024-01-12 10:11:12.123456-0800 0x1f4 Default 0x0 401 0 amfid: a > b -> c snake_case_name\n";
  EXPECT_EQ(Normalized(lines), lines);
}

// ---- 6. The same evidence, pasted in other ways ----

// Every single-file text case of corpora/ (credited in its .expect.yaml) is diagnosed the same
// when it is pasted as a post would carry it: quoted, fenced after prose, indented as code,
// fenced inside a quote, folded in <details>, with CRLF line ends or no-break spaces.
TEST(PasteNormalizer, CorpusCasesKeepTheirDiagnosisWhenPastedWithMarkup) {
  namespace fs = std::filesystem;
  auto wrap = [](std::string_view body, std::string_view prefix, std::string_view suffix, std::string_view each,
                 bool skip_blank) {
    std::string out(prefix);
    std::string_view rest = body;
    if (rest.ends_with('\n')) rest.remove_suffix(1);
    for (std::string_view line : Split(rest, '\n')) {
      if (!(skip_blank && line.empty())) out += each;
      out += line;
      out += '\n';
    }
    return out + std::string(suffix);
  };
  size_t checked = 0;
  for (const auto& group : fs::directory_iterator(fs::path(TEDIAG_SOURCE_DIR) / "corpora")) {
    if (!group.is_directory()) continue;
    for (const auto& dir : fs::directory_iterator(group.path())) {
      if (!dir.is_directory()) continue;
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(dir.path())) {
        if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.push_back(entry.path());
      }
      if (files.size() != 1 || !fs::exists(dir.path() / ".expect.yaml")) continue;
      std::ifstream in(files[0], std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::string body = buffer.str();
      if (body.find('\0') != std::string::npos || body.find_first_not_of(" \t\r\n") == std::string::npos ||
          body[body.find_first_not_of(" \t\r\n")] == '{') {
        continue;  // JSON documents are read as they are
      }
      // A case that is already markdown as it was posted (a fence, inline code, quotes) is not
      // wrapped again: nobody pastes the markdown source of a post into a fence.
      if (body.find('`') != std::string::npos || body.find("\n>") != std::string::npos || body.starts_with(">") ||
          body.find("<details") != std::string::npos) {
        continue;
      }
      auto diagnosis = [](const Report& report) {
        return RootCause(report) ? RootCause(report)->rule->class_slug : std::string("none");
      };
      const std::string expected = diagnosis(AnalyzeText(testing::EmbeddedMatcher(), "case", body));
      std::string crlf;
      for (char c : body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
      std::string nbsp = body;
      for (size_t at = nbsp.find(": "); at != std::string::npos; at = nbsp.find(": ", at + 3))
        nbsp.replace(at + 1, 1, "\xC2\xA0");
      const std::pair<const char*, std::string> variants[] = {
          {"quoted", wrap(body, "", "", "> ", false)},
          {"fenced", wrap(body, "Here is what I see:\n\n```text\n", "```\n\nAny idea?\n", "", false)},
          {"indented", wrap(body, "Here is what I see:\n\n", "\nAny idea?\n", "    ", true)},
          {"quoted fence", wrap(body, "> ```\n", "> ```\n", "> ", false)},
          {"details", wrap(body, "<details>\n<summary>log</summary>\n\n```\n", "```\n</details>\n", "", false)},
          {"crlf", crlf},
          {"nbsp", nbsp},
      };
      for (const auto& [name, text] : variants) {
        EXPECT_EQ(diagnosis(AnalyzeText(testing::EmbeddedMatcher(), "case", text)), expected)
            << dir.path().filename() << " " << name << "\n"
            << text;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace tediag
