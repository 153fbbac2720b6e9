#include "read/ips_reader.h"

#include <algorithm>
#include <string>

#include "read/json_salvage.h"
#include "util/text_util.h"

namespace tediag {
namespace {

using simdjson::dom::element;

std::string_view StringAt(element parent, std::string_view key) {
  std::string_view out;
  if (parent[key].get(out)) return {};
  return out;
}

std::optional<int64_t> IntAt(element parent, std::string_view key) {
  int64_t out = 0;
  if (!parent[key].get(out)) return out;
  uint64_t unsigned_out = 0;
  if (!parent[key].get(unsigned_out)) return static_cast<int64_t>(unsigned_out);
  return std::nullopt;
}

void SetIfEmpty(CrashReport& report, Field f, std::string_view value) {
  if (report[f].empty() && !value.empty()) report[f] = std::string(value);
}

void ReadHeader(element header, CrashReport& report) {
  SetIfEmpty(report, Field::kProcess, StringAt(header, "app_name"));
  SetIfEmpty(report, Field::kProcess, StringAt(header, "name"));
  SetIfEmpty(report, Field::kBundleId, StringAt(header, "bundleID"));
  SetIfEmpty(report, Field::kOsVersion, StringAt(header, "os_version"));
  SetIfEmpty(report, Field::kTimestamp, StringAt(header, "timestamp"));
  report.incident = std::string(StringAt(header, "incident_id"));
}

// `salvaged`: the body was rebuilt from a cut one (json_salvage.h). Its frames are kept only when
// the thread is whole and every frame's image is known: the images come after the threads, and a
// frame list cut short, or frames with their images missing ("???"), would mislead the rules.
void ReadFrames(element body, CrashReport& report, bool salvaged) {
  simdjson::dom::array threads;
  if (body["threads"].get(threads)) return;
  std::optional<int64_t> faulting = IntAt(body, "faultingThread");
  size_t index = 0;
  for (element thread : threads) {
    bool triggered = false;
    if (thread["triggered"].get(triggered)) triggered = false;
    bool wanted = faulting ? static_cast<int64_t>(index) == *faulting : triggered;
    ++index;
    if (!wanted) continue;
    simdjson::dom::array images;
    bool have_images = !body["usedImages"].get(images);
    element cut;
    if (salvaged && (!have_images || !thread[kSalvageCutKey].get(cut))) return;
    simdjson::dom::array frames;
    if (thread["frames"].get(frames)) return;
    for (element frame : frames) {
      std::string_view image;
      std::optional<int64_t> image_index = IntAt(frame, "imageIndex");
      bool known = false;  // the image the frame names is in the report as read
      if (have_images && image_index && *image_index >= 0 && static_cast<size_t>(*image_index) < images.size()) {
        element entry = images.at(static_cast<size_t>(*image_index)).value_unsafe();
        image = StringAt(entry, "name");
        known = !image.empty() || entry[kSalvageCutKey].get(cut);
      }
      if (salvaged && image_index && !known) {  // its image was cut off: no list rather than a wrong one
        report[Field::kFrames].clear();
        return;
      }
      std::string_view symbol = StringAt(frame, "symbol");
      std::string line = StrCat(image.empty() ? "???" : image, " ", symbol.empty() ? "???" : symbol);
      report.AppendLine(Field::kFrames, line);
    }
    return;
  }
}

void ReadAppSpecific(element body, CrashReport& report) {
  simdjson::dom::object asi;
  if (!body["asi"].get(asi)) {
    for (auto [image, lines] : asi) {
      simdjson::dom::array list;
      std::string_view single;
      if (!lines.get(list)) {
        for (element line : list) {
          std::string_view text;
          if (!line.get(text)) report.AppendLine(Field::kAppSpecific, text);
        }
      } else if (!lines.get(single)) {
        report.AppendLine(Field::kAppSpecific, single);
      }
      (void)image;
    }
  }
  simdjson::dom::array signatures;
  if (!body["asiSignatures"].get(signatures)) {
    for (element line : signatures) {
      std::string_view text;
      if (!line.get(text)) report.AppendLine(Field::kAppSpecific, text);
    }
  }
}

constexpr IpsKeyField kBodyKeys[] = {
    {"procName", Field::kProcess, true},
    {"procPath", Field::kProcessPath, true},
    {"parentProc", Field::kParent, true},
    {"responsibleProc", Field::kResponsible, true},
    {"captureTime", Field::kTimestamp, true},
    {"codeSigningID", Field::kCodeSigningId, true},
    {"codeSigningTeamID", Field::kTeamId, true},
    {"pid", Field::kPid, false},
    {"bundleInfo", Field::kBundleId, false},
    {"osVersion", Field::kOsVersion, false},
    {"exception", Field::kExceptionType, false},
    {"exception", Field::kSignal, false},
    {"exception", Field::kExceptionCodes, false},
    {"exception", Field::kExceptionSubtype, false},
    {"termination", Field::kTerminationNamespace, false},
    {"termination", Field::kTerminationCode, false},
    {"termination", Field::kTerminationIndicator, false},
    {"termination", Field::kTerminationDetails, false},
    {"vmRegionInfo", Field::kVmRegion, false},
    {"vmregioninfo", Field::kVmRegion, false},
    {"codeSigningFlags", Field::kCodeSigningFlags, false},
    {"codeSigningValidationCategory", Field::kValidationCategory, false},
};

void ReadBody(element body, CrashReport& report, bool salvaged) {
  for (const IpsKeyField& key : kBodyKeys) {
    if (key.verbatim) SetIfEmpty(report, key.field, StringAt(body, key.key));
  }
  // The keys whose fields are built from a number or an object.
  if (auto pid = IntAt(body, "pid")) report[Field::kPid] = StrCat(*pid);
  element bundle;
  if (!body["bundleInfo"].get(bundle)) SetIfEmpty(report, Field::kBundleId, StringAt(bundle, "CFBundleIdentifier"));
  element os;
  if (report[Field::kOsVersion].empty() && !body["osVersion"].get(os)) {
    std::string_view train = StringAt(os, "train");
    std::string_view build = StringAt(os, "build");
    report[Field::kOsVersion] = build.empty() ? std::string(train) : StrCat(train, " (", build, ")");
  }
  element exception;
  if (!body["exception"].get(exception)) {
    report[Field::kExceptionType] = std::string(StringAt(exception, "type"));
    report[Field::kSignal] = std::string(StringAt(exception, "signal"));
    report[Field::kExceptionCodes] = std::string(StringAt(exception, "codes"));
    report[Field::kExceptionSubtype] = std::string(StringAt(exception, "subtype"));
  }
  // Of the region table keep what the text form keeps: the summary and the faulting region's row.
  std::string_view vm_region = StringAt(body, "vmRegionInfo");
  if (vm_region.empty()) vm_region = StringAt(body, "vmregioninfo");
  for (std::string_view row : Split(vm_region, '\n', /*skip_empty=*/true)) {
    std::string_view trimmed = StripWhitespace(row);
    if (report[Field::kVmRegion].empty() || trimmed.starts_with("-->") || trimmed.starts_with("--->")) {
      report.AppendLine(Field::kVmRegion, trimmed);
    }
  }
  element termination;
  if (!body["termination"].get(termination)) {
    // "details" (such as "(terminated at launch; ignore backtrace)"), then "reasons": dyld's
    // message, which the text form prints after the Termination Reason line ("Library not loaded:
    // …", "Referenced from: …", "Reason: tried: …").
    for (std::string_view key : {"details", "reasons"}) {
      simdjson::dom::array lines;
      if (termination[key].get(lines)) continue;
      for (element line : lines) {
        std::string_view text;
        if (!line.get(text)) report.AppendLine(Field::kTerminationDetails, text);
      }
    }
    std::string_view ns = StringAt(termination, "namespace");
    std::string_view indicator = StringAt(termination, "indicator");
    if (auto code = IntAt(termination, "code")) {
      report.SetTermination(ns, static_cast<uint64_t>(*code), indicator);
    } else {
      report[Field::kTerminationNamespace] = std::string(ns);
      report[Field::kTerminationIndicator] = std::string(indicator);
    }
  }
  if (auto flags = IntAt(body, "codeSigningFlags")) report.SetCodeSigningFlags(static_cast<uint64_t>(*flags));
  if (auto category = IntAt(body, "codeSigningValidationCategory")) {
    report.SetValidationCategory(static_cast<uint64_t>(*category));
  }
  if (report.incident.empty()) report.incident = std::string(StringAt(body, "incident"));
  ReadAppSpecific(body, report);
  ReadFrames(body, report, salvaged);
}

}  // namespace

std::span<const IpsKeyField> IpsBodyKeys() { return kBodyKeys; }

std::optional<CrashReport> IpsReader::ReadSalvaged(std::string_view header, std::string_view json) {
  absl::StatusOr<CrashReport> report = Read(header, json, /*salvaged=*/true);
  if (!report.ok()) return std::nullopt;
  const CrashReport& r = *report;
  bool shows_crash = !r[Field::kExceptionType].empty() || !r[Field::kSignal].empty() ||
                     !r[Field::kTerminationNamespace].empty() || !r[Field::kTerminationCode].empty() ||
                     !r[Field::kAppSpecific].empty() ||
                     (!r[Field::kProcess].empty() && !r[Field::kProcessPath].empty());
  if (header.empty() ? !shows_crash : r.empty()) return std::nullopt;
  return std::move(*report);
}

bool IpsReader::StartsBodyFragment(std::string_view line) {
  // The keys of a body that the rules read, and the ones around them in Apple's order.
  static constexpr std::string_view kKeys[] = {
      "procName",
      "procPath",
      "parentProc",
      "responsibleProc",
      "bundleInfo",
      "codeSigningID",
      "codeSigningTeamID",
      "codeSigningFlags",
      "codeSigningValidationCategory",
      "codeSigningTrustLevel",
      "exception",
      "termination",
      "asi",
      "asiSignatures",
      "vmRegionInfo",
      "vmregioninfo",
      "osVersion",
      "captureTime",
      "incident",
      "pid",
      "procLaunch",
      "bug_type",
      "isCorpse",
      "extMods",
      "faultingThread",
  };
  size_t i = 0;
  while (i < line.size() && i < 16 && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || line[i] != '"') return false;
  std::string_view rest = line.substr(i + 1);
  size_t quote = rest.find('"');
  if (quote == std::string_view::npos || quote > 32) return false;
  std::string_view key = rest.substr(0, quote);
  std::string_view after = StripLeadingWhitespace(rest.substr(quote + 1));
  if (!after.starts_with(":")) return false;
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool IpsReader::IsHeader(std::string_view line) { return line.starts_with("{") && Contains(line, "\"bug_type\""); }

bool IpsReader::LooksLikeBody(std::string_view json) {
  return Contains(json, "\"procName\"") || (Contains(json, "\"exception\"") && Contains(json, "\"threads\""));
}

absl::StatusOr<CrashReport> IpsReader::Read(std::string_view header, std::string_view body) {
  return Read(header, body, /*salvaged=*/false);
}

absl::StatusOr<CrashReport> IpsReader::Read(std::string_view header, std::string_view body, bool salvaged) {
  CrashReport report;
  // The DOM parser keeps no reference to the text after parse(), so each half is parsed and
  // read before the next. Header strings are copied into the report.
  if (!header.empty()) {
    element root;
    if (auto error = parser_.parse(header.data(), header.size()).get(root)) {
      return absl::InvalidArgumentError(StrCat("crash report header: ", simdjson::error_message(error)));
    }
    ReadHeader(root, report);
  }
  if (!body.empty()) {
    element root;
    if (auto error = parser_.parse(body.data(), body.size()).get(root)) {
      return absl::InvalidArgumentError(StrCat("crash report body: ", simdjson::error_message(error)));
    }
    ReadBody(root, report, salvaged);
  }
  return report;
}

}  // namespace tediag
