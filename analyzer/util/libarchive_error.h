// libarchive's message for its last error. archive_error_string() returns null when libarchive
// set no message (a damaged zip can end so), and a null char* must never reach a string.
#pragma once

#include <archive.h>

namespace tediag {

inline const char* ArchiveErrorText(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unknown error (libarchive gave no reason)";
}

}  // namespace tediag
