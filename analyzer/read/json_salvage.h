// Salvages a JSON object that was cut short or damaged on its way to tediag: a crash report body
// or a notary log pasted into an issue and cut at the site's size limit, with lines elided
// ("...", "[...]", "<…>") or edited by hand. What it returns is a whole, valid JSON object that
// the ordinary readers (IpsReader, NotaryLogReader) read as they would the complete document.
//
// How: the text is scanned token by token and copied. Elision marks between tokens are
// dropped. At the first byte that cannot continue the document (the cut, a hand edit, prose
// after it) the member or element being read is dropped, the containers opened on that line are
// closed, and reading resumes at the next line when that line can go on with the document (a
// `"key" : value` line of a pretty-printed body, a closing bracket); otherwise the document ends
// there. At the end every container still open is closed. An object closed that way holds one
// more member, kSalvageCutKey (true), so that a reader can tell a whole object (a notary issue)
// from a part of one. Values are never completed: a string or number cut in its middle is left out.
//
// Cost: one pass over at most `limit` bytes, output no larger than a small multiple of them;
// nesting deeper than kMaxSalvageDepth is dropped as damage. Never fails; thread-safe (no state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tediag {

inline constexpr size_t kMaxSalvageDepth = 256;
// The member added to every object the salvage had to close itself. In the JSON text it is
// written "\u0001cut"; parsed, the key is these four bytes.
inline constexpr std::string_view kSalvageCutKey =
    "\x01"
    "cut";

struct SalvagedJson {
  std::string json;      // a whole JSON object ("{}" at the least)
  size_t end = 0;        // offset in the data of the first line that is not part of the document
  size_t scanned = 0;    // bytes looked at from `start`, for the caller's look-ahead budget
  bool damaged = false;  // anything was dropped, skipped or closed by the salvage
};

// Reads the object whose '{' is at data[start]. With `members_only`, data[start] begins the
// first of its members instead ("exception" : {...}, lines quoted without the object around
// them) and the object is taken to be open there. At most `limit` bytes from `start` are read.
SalvagedJson SalvageJsonObject(std::string_view data, size_t start, size_t limit, bool members_only);

}  // namespace tediag
