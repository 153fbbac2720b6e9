// A validator for the part of JSON Schema (draft 2020-12) that docs/report.schema.json uses:
// type (one or a list), const, enum, properties, required, additionalProperties: false, items,
// minItems, minimum, pattern, anyOf and $ref to "#/$defs/NAME". Any other keyword in the schema
// is an error, so the schema cannot grow past what is checked without this file knowing.
// For tests only; not thread-safe (one parser per validator).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "simdjson.h"

namespace tediag::testing {

class SchemaValidator {
 public:
  // Parses the schema file; problems() is non-empty when it cannot be read or parsed.
  explicit SchemaValidator(const std::string& schema_path);

  // The places where `json` does not follow the schema ("$.diagnoses[0].app: expected object or
  // null"), at most 20; empty when it does.
  std::vector<std::string> Validate(std::string_view json);

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void Check(simdjson::dom::element schema, simdjson::dom::element value, const std::string& where,
             std::vector<std::string>& out);

  simdjson::dom::parser schema_parser_;
  simdjson::dom::parser value_parser_;
  simdjson::dom::element root_;
  std::vector<std::string> problems_;
};

}  // namespace tediag::testing
