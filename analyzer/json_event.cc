#include "json_event.h"
#include "text_util.h"


namespace tediag {
namespace {

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

absl::StatusOr<JsonLogEventParser::Kind> JsonLogEventParser::Parse(std::string_view json,
                                                                   Record& record) {
  padded_.assign(json);
  padded_.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');
  numbers_.clear();
  numbers_.reserve(64);  // never reallocated below, so views into it stay valid

  simdjson::ondemand::document doc;
  if (auto error = parser_.iterate(padded_.data(), json.size(), padded_.size()).get(doc)) {
    return absl::InvalidArgumentError(simdjson::error_message(error));
  }
  simdjson::ondemand::object object;
  if (auto error = doc.get_object().get(object)) {
    return absl::InvalidArgumentError(simdjson::error_message(error));
  }

  bool is_event = false;
  bool is_footer = false;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) {
      return absl::InvalidArgumentError(simdjson::error_message(error));
    }
    simdjson::ondemand::value value;
    if (auto error = field.value().get(value)) {
      return absl::InvalidArgumentError(simdjson::error_message(error));
    }
    std::string_view text;
    auto string_field = [&](Field f) -> simdjson::error_code {
      if (value.type().value_unsafe() != simdjson::ondemand::json_type::string) return simdjson::SUCCESS;
      auto error = value.get_string().get(text);
      if (!error) record.Set(f, text);
      return error;
    };
    simdjson::error_code error = simdjson::SUCCESS;
    if (key == "eventMessage") {
      error = string_field(Field::kMessage);
      record.text = record.Get(Field::kMessage);
      is_event = true;
    } else if (key == "timestamp") {
      error = string_field(Field::kTimestamp);
    } else if (key == "processImagePath") {
      error = string_field(Field::kProcessPath);
      record.Set(Field::kProcess, Basename(record.Get(Field::kProcessPath)));
      is_event = true;
    } else if (key == "senderImagePath") {
      error = value.get_string().get(text);
      if (!error) record.Set(Field::kSender, Basename(text));
    } else if (key == "subsystem") {
      error = string_field(Field::kSubsystem);
    } else if (key == "category") {
      error = string_field(Field::kCategory);
    } else if (key == "messageType") {
      error = string_field(Field::kMessageType);
    } else if (key == "eventType") {
      error = string_field(Field::kEventType);
      is_event = true;
    } else if (key == "processID") {
      int64_t pid = 0;
      error = value.get_int64().get(pid);
      if (!error) {
        size_t start = numbers_.size();
        StrAppend(numbers_, pid);
        record.Set(Field::kPid, std::string_view(numbers_).substr(start));
      }
    } else if (key == "finished") {
      is_footer = true;
    }
    if (error) return absl::InvalidArgumentError(StrCat("field \"", key, "\": ",
                                                              simdjson::error_message(error)));
  }
  if (is_event) return Kind::kEvent;
  return is_footer ? Kind::kFooter : Kind::kOther;
}

}  // namespace tediag
