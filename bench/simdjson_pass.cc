// The floor for parsing an ndjson log export: one simdjson On-Demand pass over every entry, reading
// every key and every string value, and nothing else. bench/run.sh times tediag against it.
//   simdjson_pass FILE
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "simdjson.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: simdjson_pass FILE.ndjson\n");
    return 2;
  }
  simdjson::padded_string json;
  if (auto error = simdjson::padded_string::load(argv[1]).get(json)) {
    std::fprintf(stderr, "simdjson_pass: %s\n", simdjson::error_message(error));
    return 1;
  }
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream stream;
  if (auto error = parser.iterate_many(json, 1 << 20).get(stream)) {
    std::fprintf(stderr, "simdjson_pass: %s\n", simdjson::error_message(error));
    return 1;
  }
  size_t documents = 0, strings = 0, bytes = 0;
  for (auto doc : stream) {
    simdjson::ondemand::object object;
    if (doc.get_object().get(object)) continue;
    ++documents;
    for (auto field : object) {
      std::string_view key, value;
      if (field.unescaped_key().get(key)) break;
      bytes += key.size();
      if (!field.value().get_string().get(value)) {
        ++strings;
        bytes += value.size();
      }
    }
  }
  std::printf("%zu documents, %zu strings, %zu bytes of keys and strings\n", documents, strings, bytes);
  return 0;
}
