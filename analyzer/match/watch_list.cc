#include "match/watch_list.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "match/literal_scanner.h"
#include "util/text_util.h"

namespace tediag {
namespace {

// Kept short and specific: each word names the machinery, not an ordinary English word. "TCC"
// is three letters, under the scanner's minimum, so its forms in logs are listed instead.
constexpr std::array<std::string_view, 39> kWords = {
    "amfid",  // AppleMobileFileIntegrity's daemon
    "AMFI:",
    "AppleMobileFileIntegrity",
    "CODESIGNING",     // termination namespace
    "CODE SIGNING",    // kernel "CODE SIGNING: ..."
    "Code Signature",  // "Code Signature Invalid", "code signature in ... not valid"
    "codesign",
    "cs_invalid",
    "not valid for use in process",  // dyld library validation
    "library validation",
    "Gatekeeper",
    "syspolicyd",
    "XProtect",
    "tccd",
    "com.apple.TCC",
    "kTCCService",
    "TCC:",
    "TCC deny",
    "TCCs",  // ScreenCaptureKit "declined TCCs"
    "sandbox",
    "taskgated",
    "notariz",  // notarized, notarization, notarize
    "notarytool",
    "quarantine",
    "spctl",
    "-1743",  // errAEEventNotPermitted
    "errAEEventNotPermitted",
    "Not authorized to send Apple events",
    "Not authorised to send Apple events",  // osascript's British spelling (en_GB, en_AU systems)
    "Full Disk Access",                     // the privacy service people name in prose
    "Privacy & Security",                   // System Settings, macOS 13 and later
    "Security & Privacy",                   // System Preferences, macOS 10.14 to 12
    "hardened runtime",
    "Launch Constraint",
    "provisioning profile",
    "entitlement",
    "CSSMERR_",
    "errSecCS",
    "Library not loaded",  // dyld: a missing library, or one refused
};

}  // namespace

std::span<const std::string_view> WatchWords() { return kWords; }

bool MentionsWatchWord(std::string_view text) {
  // The scanner finds candidates in one pass (it folds case loosely); a candidate is confirmed exactly.
  static const LiteralScanner scanner(std::vector<std::string>(kWords.begin(), kWords.end()));
  thread_local std::vector<int> found;
  found.clear();
  scanner.Find(text, found);
  if (found.empty()) return false;
  std::string folded = ToLower(text);
  return std::any_of(found.begin(), found.end(),
                     [&](int i) { return folded.find(ToLower(kWords[static_cast<size_t>(i)])) != std::string::npos; });
}

}  // namespace tediag
