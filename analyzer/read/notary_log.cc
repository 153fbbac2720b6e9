#include "read/notary_log.h"

#include "read/json_salvage.h"
#include "read/source_lines.h"
#include "util/text_util.h"

namespace tediag {
namespace {

std::string_view StringAt(simdjson::dom::element parent, std::string_view key) {
  std::string_view out;
  if (parent[key].get(out)) return {};
  return out;
}

}  // namespace

bool NotaryLogReader::LooksLikeNotaryLog(std::string_view json) {
  return Contains(json, "\"jobId\"") && (Contains(json, "\"statusSummary\"") || Contains(json, "\"issues\""));
}

absl::Status NotaryLogReader::Read(std::string_view json, uint64_t line, RecordSink& sink) {
  simdjson::dom::element root;
  if (auto error = parser_.parse(json.data(), json.size()).get(root)) {
    return absl::InvalidArgumentError(StrCat("notary log: ", simdjson::error_message(error)));
  }
  Deliver(root, json, line, /*whole_issues_only=*/false, sink);
  return absl::OkStatus();
}

bool NotaryLogReader::LooksLikeSalvagedLog(std::string_view json) {
  return Contains(json, "\"jobId\"") &&
         (Contains(json, "\"status\"") || Contains(json, "\"statusSummary\"") || Contains(json, "\"issues\""));
}

bool NotaryLogReader::ReadSalvaged(std::string_view json, std::string_view source, uint64_t line, RecordSink& sink) {
  simdjson::dom::element root;
  if (parser_.parse(json.data(), json.size()).get(root) || !root.is_object()) return false;
  simdjson::dom::element ignored;
  if (root["jobId"].get(ignored)) return false;
  if (root["status"].get(ignored) && root["statusSummary"].get(ignored) && root["issues"].get(ignored)) return false;
  Deliver(root, source, line, /*whole_issues_only=*/true, sink);
  return true;
}

void NotaryLogReader::Deliver(simdjson::dom::element root, std::string_view source, uint64_t line,
                              bool whole_issues_only, RecordSink& sink) {
  std::string_view status = StringAt(root, "status");
  std::string_view summary = StringAt(root, "statusSummary");
  std::string_view archive = StringAt(root, "archiveFilename");

  NotaryLogLines lines = LocateNotaryLogLines(source, line);  // each record at its own line
  Record submission;
  submission.line = lines.status != 0 ? lines.status : line;
  submission.Set(Field::kProcess, "notarytool");
  submission.Set(Field::kStatus, status);
  submission.Set(Field::kMessage, summary);
  submission.Set(Field::kPath, archive);
  text_ = StrCat("Notarization of ", archive.empty() ? "the submission" : archive, ": ",
                 status.empty() ? "no status" : status, summary.empty() ? "" : " — ", summary);
  submission.text = text_;
  sink.OnRecord(submission);

  simdjson::dom::array issues;
  if (root["issues"].get(issues)) return;  // null or absent: nothing more
  size_t index = 0;
  for (simdjson::dom::element issue : issues) {
    simdjson::dom::element cut;
    if (whole_issues_only && !issue[kSalvageCutKey].get(cut)) continue;
    Record record;
    record.line = index < lines.issues.size() ? lines.issues[index] : line;
    ++index;
    record.Set(Field::kProcess, "notarytool");
    record.Set(Field::kMessageType, StringAt(issue, "severity"));
    record.Set(Field::kMessage, StringAt(issue, "message"));
    record.Set(Field::kPath, StringAt(issue, "path"));
    record.Set(Field::kArchitecture, StringAt(issue, "architecture"));
    record.Set(Field::kDocUrl, StringAt(issue, "docUrl"));
    std::string_view architecture = record.Get(Field::kArchitecture);
    text_ = StrCat(record.Get(Field::kMessageType), ": ", record.Get(Field::kPath), architecture.empty() ? "" : " (",
                   architecture, architecture.empty() ? "" : ")", ": ", record.Get(Field::kMessage));
    record.text = text_;
    sink.OnRecord(record);
  }
}

}  // namespace tediag
