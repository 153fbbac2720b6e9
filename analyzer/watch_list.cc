#include "watch_list.h"

#include <algorithm>
#include <array>
#include <string>

#include "text_util.h"

namespace tediag {
namespace {

// Kept short and specific: each word names the machinery, not an ordinary English word. "TCC"
// is three letters, under the scanner's minimum, so its forms in logs are listed instead.
constexpr std::array<std::string_view, 34> kWords = {
    "amfid",                          // AppleMobileFileIntegrity's daemon
    "AMFI:",
    "AppleMobileFileIntegrity",
    "CODESIGNING",                    // termination namespace
    "CODE SIGNING",                   // kernel "CODE SIGNING: ..."
    "Code Signature",                 // "Code Signature Invalid", "code signature in ... not valid"
    "codesign",
    "cs_invalid",
    "not valid for use in process",   // dyld library validation
    "library validation",
    "Gatekeeper",
    "syspolicyd",
    "XProtect",
    "tccd",
    "com.apple.TCC",
    "kTCCService",
    "TCC:",
    "TCC deny",
    "TCCs",                           // ScreenCaptureKit "declined TCCs"
    "sandbox",
    "taskgated",
    "notariz",                        // notarized, notarization, notarize
    "notarytool",
    "quarantine",
    "spctl",
    "-1743",                          // errAEEventNotPermitted
    "errAEEventNotPermitted",
    "Not authorized to send Apple events",
    "Launch Constraint",
    "provisioning profile",
    "entitlement",
    "CSSMERR_",
    "errSecCS",
    "Library not loaded",             // dyld: a missing library, or one refused
};

}  // namespace

std::span<const std::string_view> WatchWords() { return kWords; }

bool MentionsWatchWord(std::string_view text) {
  static const std::array<std::string, kWords.size()> lowered = [] {
    std::array<std::string, kWords.size()> out;
    for (size_t i = 0; i < kWords.size(); ++i) out[i] = ToLower(kWords[i]);
    return out;
  }();
  std::string folded = ToLower(text);
  return std::any_of(lowered.begin(), lowered.end(),
                     [&](const std::string& word) { return folded.find(word) != std::string::npos; });
}

}  // namespace tediag
