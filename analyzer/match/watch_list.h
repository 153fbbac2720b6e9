// The watch list: words that mark a line as being about the machinery tediag diagnoses (amfid,
// CODESIGNING, Gatekeeper, syspolicyd, XProtect, TCC, the sandbox, taskgated, notarization,
// quarantine, spctl, -1743 ...). A line that holds one and that no rule explains is listed in the
// report (Report::unexplained), so that a person sees it and a rule writer knows what to add.
//
// The words are data, kept here in one table. The matcher adds them to the literals it already
// scans each log message for (Matcher::Scratch::watched), so spotting them costs no extra pass
// over the input; MentionsWatchWord is the exact test for the few lines flagged, and for the
// fields of crash reports. Thread-safe (constant data).
#pragma once

#include <span>
#include <string_view>

namespace tediag {

// The words, each at least LiteralScanner::kMinLength bytes, compared ignoring ASCII case.
std::span<const std::string_view> WatchWords();

// True when `text` holds a watch word (ASCII case ignored).
bool MentionsWatchWord(std::string_view text);

}  // namespace tediag
