// What an input's bytes are before any reader sees them: UTF-16 text (Console sometimes saves
// a log that way) to transcode, or a binary file to refuse with a name for what it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tediag {

// When `data` starts with a UTF-16 byte order mark (little- or big-endian), its text as UTF-8,
// without the mark; an unpaired surrogate or an odd last byte becomes U+FFFD. Otherwise nullopt.
std::optional<std::string> DecodeUtf16WithBom(std::string_view data);

// What kind of binary file an input is, judged from its first bytes: "a Mach-O executable",
// "a PNG image", … or "unrecognised binary content". Empty when it reads as text —
// including UTF-16 with a byte order mark, and text with a few stray NUL bytes in its messages.
std::string_view BinaryKind(std::string_view head);

}  // namespace tediag
