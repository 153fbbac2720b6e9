#include "watch_list.h"

#include <algorithm>
#include <array>

#include "text_util.h"

namespace tediag {
namespace {

// Kept short and specific: each word names the machinery, not an ordinary English word. "TCC"
// is three letters, under the scanner's minimum, so its forms in logs are listed instead.
constexpr std::array<std::string_view, 33> kWords = {
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
};

}  // namespace

std::span<const std::string_view> WatchWords() { return kWords; }

bool MentionsWatchWord(std::string_view text) {
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view word) {
    if (text.size() < word.size()) return false;
    for (size_t i = 0; i + word.size() <= text.size(); ++i) {
      if (EqualsIgnoreCase(text.substr(i, word.size()), word)) return true;
    }
    return false;
  });
}

}  // namespace tediag
