// A code signature's requirements (SuperBlob slot 2, magic 0xfade0c01) in their text form, as
// `codesign -d -r-` prints them:
//
//   designated => identifier "com.example.app" and anchor apple generic and certificate
//   1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[subject.OU] = "TEAM123456"
//
// The blob is an index of (type, offset) pairs, each pointing at a Requirement (0xfade0c00,
// kind 1: an expression) whose operations are 32-bit big-endian opcodes in prefix order, with
// their arguments (strings and data as a length and bytes padded to 4; integers; certificate
// slots; match operations). The opcode and match tables follow Apple's published csreq format
// (Security's requirement.h facts: opIdent 2 … opLegacyDevID 23; matchExists 0 … matchAbsent 14).
//
// Untrusted input: every read is bounded (byte_reader.h), nesting is limited to 64 levels and
// the text to 64 KiB; an opcode not in the table or a truncated expression gives an error for
// that requirement, and the others are still decoded. Cost: one pass over the blob. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "byte_reader.h"

namespace tediag::inspect {

struct RequirementText {
  std::string type;   // "designated", "host", "guest", "library", "plugin", or "type N"
  std::string text;   // the expression, when it decoded
  std::string error;  // why it did not
};

// Every requirement of the blob (the whole 0xfade0c01 blob, header included). Fails as a whole
// when the blob's header is not a requirements set.
absl::StatusOr<std::vector<RequirementText>> DecodeRequirements(Bytes blob);

// One requirement expression (the bytes after a Requirement's 12-byte header).
absl::StatusOr<std::string> DecodeRequirementExpression(Bytes expression);

}  // namespace tediag::inspect
