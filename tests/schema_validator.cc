#include "schema_validator.h"

#include <algorithm>

#include "re2/re2.h"
#include "test_support.h"

namespace tediag::testing {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool HasType(element value, std::string_view type) {
  switch (value.type()) {
    case element_type::ARRAY: return type == "array";
    case element_type::OBJECT: return type == "object";
    case element_type::INT64:
    case element_type::UINT64: return type == "integer" || type == "number";
    case element_type::DOUBLE: return type == "number";
    case element_type::STRING: return type == "string";
    case element_type::BOOL: return type == "boolean";
    case element_type::NULL_VALUE: return type == "null";
  }
  return false;
}

std::string Dump(element value) {
  std::string text = simdjson::to_string(value);
  return text.size() > 80 ? text.substr(0, 80) + "…" : text;
}

bool Equal(element a, element b) { return simdjson::to_string(a) == simdjson::to_string(b); }

constexpr std::string_view kKnown[] = {"$schema", "$id",      "title",      "description", "type",
                                       "const",   "enum",     "properties", "required",    "additionalProperties",
                                       "items",   "minItems", "minimum",    "pattern",     "anyOf",
                                       "$ref",    "$defs"};

}  // namespace

SchemaValidator::SchemaValidator(const std::string& schema_path) {
  std::string text = Slurp(schema_path);
  if (text.empty() || schema_parser_.parse(text).get(root_) != simdjson::SUCCESS) {
    problems_.push_back("cannot read or parse " + schema_path);
  }
}

std::vector<std::string> SchemaValidator::Validate(std::string_view json) {
  std::vector<std::string> out = problems_;
  element value;
  if (!out.empty()) return out;
  if (value_parser_.parse(json.data(), json.size()).get(value) != simdjson::SUCCESS) return {"not JSON"};
  Check(root_, value, "$", out);
  return out;
}

void SchemaValidator::Check(element schema, element value, const std::string& where, std::vector<std::string>& out) {
  if (out.size() >= 20) return;
  simdjson::dom::object keywords;
  if (schema.get(keywords) != simdjson::SUCCESS) {
    out.push_back(where + ": the schema here is not an object");
    return;
  }
  for (auto [key, sub] : keywords) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      out.push_back(where + ": schema keyword '" + std::string(key) + "' is not one the validator checks");
    }
  }
  std::string_view ref;
  if (schema["$ref"].get(ref) == simdjson::SUCCESS) {
    element target;
    if (!ref.starts_with("#/$defs/") || root_["$defs"][ref.substr(8)].get(target) != simdjson::SUCCESS) {
      out.push_back(where + ": unresolved $ref " + std::string(ref));
      return;
    }
    Check(target, value, where, out);
  }
  element type;
  if (schema["type"].get(type) == simdjson::SUCCESS) {
    bool ok = false;
    std::string names;
    if (type.is_string()) {
      ok = HasType(value, std::string_view(type));
      names = std::string(std::string_view(type));
    } else {
      for (element t : simdjson::dom::array(type)) {
        ok = ok || HasType(value, std::string_view(t));
        names += (names.empty() ? "" : " or ") + std::string(std::string_view(t));
      }
    }
    if (!ok) {
      out.push_back(where + ": expected " + names + ", got " + Dump(value));
      return;
    }
  }
  element constant;
  if (schema["const"].get(constant) == simdjson::SUCCESS && !Equal(constant, value)) {
    out.push_back(where + ": expected " + Dump(constant) + ", got " + Dump(value));
  }
  simdjson::dom::array list;
  if (schema["enum"].get(list) == simdjson::SUCCESS) {
    bool found = false;
    for (element option : list) found = found || Equal(option, value);
    if (!found) out.push_back(where + ": " + Dump(value) + " is not one of " + Dump(schema["enum"]));
  }
  if (schema["anyOf"].get(list) == simdjson::SUCCESS) {
    bool any = false;
    for (element option : list) {
      std::vector<std::string> trial;
      Check(option, value, where, trial);
      any = any || trial.empty();
    }
    if (!any) out.push_back(where + ": matches none of anyOf: " + Dump(value));
  }
  int64_t minimum = 0;
  if (schema["minimum"].get(minimum) == simdjson::SUCCESS) {
    int64_t number = 0;
    uint64_t unsigned_number = 0;
    if (value.get(number) == simdjson::SUCCESS ? number < minimum : value.get(unsigned_number) != simdjson::SUCCESS) {
      out.push_back(where + ": below the minimum " + std::to_string(minimum) + ": " + Dump(value));
    }
  }
  std::string_view pattern, text;
  if (schema["pattern"].get(pattern) == simdjson::SUCCESS && value.get(text) == simdjson::SUCCESS &&
      !RE2::PartialMatch(text, RE2(pattern))) {  // RE2: GCC 12 warns inside std::regex under ASan
    out.push_back(where + ": \"" + std::string(text) + "\" does not match " + std::string(pattern));
  }
  simdjson::dom::array items;
  if (value.get(items) == simdjson::SUCCESS) {
    uint64_t min_items = 0;
    if (schema["minItems"].get(min_items) == simdjson::SUCCESS && items.size() < min_items) {
      out.push_back(where + ": fewer than " + std::to_string(min_items) + " items");
    }
    element item_schema;
    if (schema["items"].get(item_schema) == simdjson::SUCCESS) {
      size_t i = 0;
      for (element item : items) Check(item_schema, item, where + "[" + std::to_string(i++) + "]", out);
    }
  }
  simdjson::dom::object object;
  if (value.get(object) == simdjson::SUCCESS) {
    simdjson::dom::object properties;
    bool has_properties = schema["properties"].get(properties) == simdjson::SUCCESS;
    if (schema["required"].get(list) == simdjson::SUCCESS) {
      for (element name : list) {
        element member;
        if (object[std::string_view(name)].get(member) != simdjson::SUCCESS) {
          out.push_back(where + ": lacks \"" + std::string(std::string_view(name)) + "\"");
        }
      }
    }
    bool closed = false;
    element additional;
    if (schema["additionalProperties"].get(additional) == simdjson::SUCCESS) closed = !bool(additional);
    for (auto [key, member] : object) {
      element sub;
      if (has_properties && properties[key].get(sub) == simdjson::SUCCESS) {
        Check(sub, member, where + "." + std::string(key), out);
      } else if (closed) {
        out.push_back(where + ": \"" + std::string(key) + "\" is not in the schema");
      }
    }
  }
}

}  // namespace tediag::testing
