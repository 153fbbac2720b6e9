#include "targets.h"

#include <memory>
#include <string>

#include "analyzer.h"
#include "bundle_inspector.h"
#include "cms_signature.h"
#include "code_signature.h"
#include "input/archive_input.h"
#include "macho_inspector.h"
#include "match/matcher.h"
#include "plist.h"
#include "provisioning_profile.h"
#include "read/crash_text_reader.h"
#include "read/input_reader.h"
#include "read/ips_reader.h"
#include "read/json_event.h"
#include "read/json_salvage.h"
#include "read/line_parsers.h"
#include "read/notary_log.h"
#include "read/tool_output.h"
#include "report/report_writers.h"
#include "requirements.h"
#include "rules/rule_loader.h"
#include "tediag/embedded_rules.h"
#include "unified_log/archive_reader.h"
#include "unified_log/firehose.h"
#include "unified_log/formatter.h"
#include "unified_log/strings.h"
#include "unified_log/timesync.h"
#include "unified_log/tracev3.h"
#include "util/text_util.h"

namespace tediag::fuzz {
namespace {

// Where Touch() leaves its sums, so that the compiler cannot drop the reads.
volatile unsigned touched = 0;

// Reads every byte of `text`, so that ASan sees a view into freed or foreign memory.
void Touch(std::string_view text) {
  unsigned sum = 0;
  for (char c : text) sum += static_cast<unsigned char>(c);
  touched = sum;
}

void Touch(const absl::Status& status) { Touch(StrCat(status.message())); }

void TouchRecord(const Record& record) {
  Touch(record.text);
  for (std::string_view field : record.fields) Touch(field);
}

class TouchingSink : public RecordSink {
 public:
  void OnRecord(const Record& record) override { TouchRecord(record); }
  void OnError(uint64_t, std::string_view message) override { Touch(message); }
  void OnFormat(InputFormat format) override { Touch(InputFormatName(format)); }
};

// Calls `each` with every line of `data` (the line parsers take one line at a time).
template <typename Fn>
void ForEachLine(std::string_view data, Fn each) {
  for (std::string_view line : Split(data, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    each(line);
  }
}

void FuzzInputReader(std::string_view data) {
  InputReader reader;
  TouchingSink sink;
  reader.Read(data, sink);
}

const Matcher& EmbeddedMatcher() {
  static const Matcher* matcher = [] {
    std::vector<RuleError> errors;
    std::vector<Rule> rules = EmbeddedRuleSet().rules;
    return Matcher::Compile(std::move(rules), errors, EmbeddedPatternPrefilters()).release();
  }();
  return *matcher;
}

void FuzzAnalyze(std::string_view data) {
  Report report = AnalyzeText(EmbeddedMatcher(), "fuzz", data);
  Touch(RenderText(report, {}));
  Touch(RenderMarkdown(report));
  Touch(RenderJson(report, {.tool_version = "fuzz"}));
}

void FuzzJsonEvent(std::string_view data) {
  JsonLogEventParser parser;
  Record record;
  absl::StatusOr<JsonLogEventParser::Kind> kind = parser.Parse(data, record);
  if (kind.ok()) {
    TouchRecord(record);
  } else {
    Touch(kind.status());
  }
}

void FuzzLineParsers(std::string_view data) {
  ForEachLine(data, [](std::string_view line) {
    for (auto parse : {ParseDefaultStyleLine, ParseCompactStyleLine, ParseSyslogStyleLine}) {
      Record record;
      if (parse(line, record)) TouchRecord(record);
    }
    Touch(IsLogBoilerplate(line) ? "b" : "");
    Touch(IsWholeEntryLine(line) ? "t" : "");
  });
}

void FuzzLooseText(std::string_view data) {
  ForEachLine(data, [](std::string_view line) {
    Record record;
    ParseLooseLine(line, record);
    TouchRecord(record);
  });
}

void FuzzIps(std::string_view data) {
  // The first line is the metadata header, the rest the body.
  size_t eol = data.find('\n');
  std::string_view header = eol == std::string_view::npos ? data : data.substr(0, eol);
  std::string_view body = eol == std::string_view::npos ? std::string_view() : data.substr(eol + 1);
  Touch(IpsReader::IsHeader(header) ? "h" : "");
  Touch(IpsReader::LooksLikeBody(body) ? "b" : "");
  IpsReader reader;
  for (std::string_view h : {header, std::string_view()}) {
    absl::StatusOr<CrashReport> report = reader.Read(h, body);
    if (!report.ok()) {
      Touch(report.status());
      continue;
    }
    TouchRecord(report->ToRecord());
  }
  // The same body cut or damaged: salvaged from its first byte, and as member lines quoted alone.
  // What the salvage makes of valid UTF-8 is always valid JSON.
  bool utf8 = simdjson::validate_utf8(body.data(), body.size());
  for (bool members_only : {false, true}) {
    SalvagedJson salvaged = SalvageJsonObject(body, 0, body.size(), members_only);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (utf8 && parser.parse(salvaged.json).get(root)) __builtin_trap();
    for (std::string_view h : {header, std::string_view()}) {
      if (std::optional<CrashReport> report = reader.ReadSalvaged(h, salvaged.json)) TouchRecord(report->ToRecord());
    }
  }
}

void FuzzCrashText(std::string_view data) {
  CrashTextReader reader;
  bool open = false;
  uint64_t line_no = 0;
  ForEachLine(data, [&](std::string_view line) {
    ++line_no;
    if (!open) {
      if (!CrashTextReader::StartsReport(line)) return;
      reader.Begin(line_no);
      open = true;
    }
    if (reader.Feed(line, line_no) == CrashTextReader::Fed::kNotMine || reader.complete()) {
      TouchRecord(reader.report().ToRecord());
      open = false;
    }
  });
  if (open) TouchRecord(reader.report().ToRecord());
}

void FuzzNotaryLog(std::string_view data) {
  Touch(NotaryLogReader::LooksLikeNotaryLog(data) ? "n" : "");
  NotaryLogReader reader;
  TouchingSink sink;
  absl::Status status = reader.Read(data, 1, sink);
  Touch(status);
  SalvagedJson salvaged = SalvageJsonObject(data, 0, data.size(), /*members_only=*/false);
  Touch(NotaryLogReader::LooksLikeSalvagedLog(salvaged.json) ? "s" : "");
  Touch(reader.ReadSalvaged(salvaged.json, data.substr(0, salvaged.end), 1, sink) ? "r" : "");
}

void FuzzToolOutput(std::string_view data) {
  Tool tool = Tool::kNone;
  ForEachLine(data, [&](std::string_view line) {
    if (tool != Tool::kNone && ContinuesToolOutput(tool, line)) return;
    tool = ToolOutputStart(line);
    Touch(ToolName(tool));
    Touch(InputFormatName(ToolFormat(tool)));
  });
}

void FuzzBundle(std::string_view data) {
  // Limits scaled down from the defaults, so that a bomb is caught quickly; the logic is the same.
  ArchiveLimits limits;
  limits.max_total_bytes = size_t{16} << 20;
  limits.max_entries = 1000;
  limits.max_extracted_bytes = 0;  // a log archive inside is noted, never unpacked to disk here
  ArchiveContents contents = ReadArchiveData(data, limits);
  Touch(contents.problem);
  for (const ArchiveMember& member : contents.members) {
    Touch(member.name);
    InputReader reader;
    TouchingSink sink;
    reader.Read(member.data, sink);
  }
}

void FuzzRuleLoader(std::string_view data) {
  static const std::vector<FailureClass> kClasses = EmbeddedRuleSet().classes;
  RuleSet set;
  set.classes = kClasses;
  std::vector<RuleError> errors;
  LoadRuleText(data, "fuzz.yaml", set, errors);
  CheckRuleSet(set, errors);
  std::unique_ptr<Matcher> matcher = Matcher::Compile(std::move(set.rules), errors);
  for (const RuleError& error : errors) Touch(error.message);
  // Whatever compiled must also match: the rule file's own text, read as an input.
  Matcher::Scratch scratch;
  std::vector<uint32_t> hits;
  Record record;
  record.text = data.substr(0, 4096);
  record.Set(Field::kMessage, record.text);
  matcher->Match(record, scratch, hits);
  for (uint32_t hit : hits) {
    for (const auto& [name, value] : matcher->ExtractCaptures(hit, record)) Touch(value);
  }
}

}  // namespace

// The inspector's parsers on any bytes: as a Mach-O file (every slice, SuperBlob, CodeDirectory,
// page hashes, entitlements plist, CMS), as a SuperBlob, a CodeDirectory, a plist, a CMS blob, a
// requirements blob and expression, and a provisioning profile compared with its own entitlements.
void FuzzMachO(std::string_view data) {
  inspect::Bytes bytes = inspect::AsBytes(data);
  inspect::Observations out;
  inspect::MachOContext context;
  context.main_executable = true;
  context.info_plist = bytes;
  inspect::InspectMachO("fuzz", bytes, context, out);
  for (const inspect::Observation& o : out.list()) Touch(o.detail);
  if (auto sig = inspect::ParseCodeSignature(bytes); sig.ok()) {
    for (const inspect::CodeDirectory& cd : sig->directories) inspect::CheckCodePages(cd, bytes);
  }
  (void)inspect::ParseCodeDirectory(bytes, 0);
  if (auto plist = inspect::ParsePlist(bytes); plist.ok()) (void)plist->Find("CFBundleExecutable");
  inspect::CheckCms(bytes.first(std::min<size_t>(bytes.size(), 1 << 14)), bytes);
  if (auto reqs = inspect::DecodeRequirements(bytes); reqs.ok())
    for (const inspect::RequirementText& r : *reqs) Touch(r.text);
  if (auto text = inspect::DecodeRequirementExpression(bytes); text.ok()) Touch(*text);
  if (auto profile = inspect::ParseProvisioningProfile(bytes); profile.ok()) {
    for (const auto& p : inspect::CompareWithProfile(profile->entitlements, "TEAM", &*profile, "2026-01-01T00:00:00Z"))
      Touch(p.detail);
  }
}

// The unified log reader: a whole tracev3 as ArchiveReader reads it (no strings files).
void FuzzTracev3(std::string_view data) {
  unified_log::ArchiveReader reader(unified_log::ArchiveLayout{});
  TouchingSink sink;
  reader.ReadBytes(data, sink);
}

void TouchArguments(const std::vector<unified_log::Argument>& args) {
  for (const unified_log::Argument& a : args) Touch(a.bytes);
}

// A chunkset's decompression and the inner chunks' parsers; the bytes also as each chunk's body
// directly, so that inputs need not be valid LZ4 to reach the parsers.
void FuzzChunkset(std::string_view data) {
  using namespace unified_log;
  auto parse = [](uint32_t tag, std::string_view body) {
    std::string text;
    if (tag == kTagFirehose) {
      if (absl::StatusOr<FirehoseChunk> c = ParseFirehose(body); c.ok())
        for (const Tracepoint& tp : c->points) {
          TouchArguments(tp.args);
          FormatArgumentsOnly(tp.args, text);
          FormatMessage("%s %d %{public}@ %.*s %{errno}d %P", tp.args, text);
        }
    } else if (tag == kTagOversize) {
      if (absl::StatusOr<Oversize> o = ParseOversize(body); o.ok()) TouchArguments(o->args);
    } else if (tag == kTagSimpledump) {
      if (absl::StatusOr<Simpledump> d = ParseSimpledump(body); d.ok()) Touch(d->message), Touch(d->subsystem);
    } else if (tag == kTagStatedump) {
      if (absl::StatusOr<Statedump> d = ParseStatedump(body); d.ok()) Touch(d->title), Touch(d->payload);
    } else if (tag == kTagCatalog) {
      if (absl::StatusOr<Catalog> c = Catalog::Parse(body); c.ok())
        for (const ProcessInfo& p : c->processes())
          for (const SubsystemEntry& e : p.subsystems) Touch(e.subsystem), Touch(e.category);
    }
    Touch(text);
  };
  for (uint32_t tag : {kTagFirehose, kTagOversize, kTagSimpledump, kTagStatedump, kTagCatalog}) parse(tag, data);
  std::string out;
  if (DecompressChunkset(data, out).ok())
    ForEachInnerChunk(
        out, 0, 0, [&](const InnerChunk& c) { parse(c.tag, c.data); }, [](uint64_t, std::string_view m) { Touch(m); });
}

void FuzzUuidtext(std::string_view data) {
  absl::StatusOr<unified_log::UuidText> text = unified_log::UuidText::Parse(std::string(data));
  if (!text.ok()) return;
  Touch(text->image_path());
  for (uint64_t ref : {uint64_t{0}, uint64_t{1}, uint64_t{0x100}, uint64_t{0xffffffff}, uint64_t{1} << 40})
    if (auto s = text->Find(ref)) Touch(*s);
}

void FuzzDsc(std::string_view data) {
  absl::StatusOr<unified_log::SharedCacheStrings> dsc = unified_log::SharedCacheStrings::Parse(std::string(data));
  if (!dsc.ok()) return;
  for (uint64_t ref : {uint64_t{0}, uint64_t{1}, uint64_t{0x1000}, uint64_t{0xffffffff}, uint64_t{1} << 40}) {
    if (auto s = dsc->Find(ref)) Touch(s->format), Touch(s->image_path);
    if (auto* image = dsc->FindImage(ref)) Touch(image->path);
  }
}

// The formatter: a format string up to the first NUL, then data items (as a tracepoint holds
// them) for its arguments.
void FuzzFormatter(std::string_view data) {
  size_t nul = data.find('\0');
  std::string_view format = data.substr(0, nul);
  std::string_view items = nul == std::string_view::npos ? std::string_view() : data.substr(nul + 1);
  unified_log::ByteReader r(items);
  std::vector<unified_log::Argument> args;
  unified_log::ReadArguments(r, items.substr(0, items.size() / 2), args);
  std::string out;
  unified_log::FormatMessage(format, args, out);
  unified_log::FormatArgumentsOnly(args, out);
  Touch(out);
}

void FuzzTimesync(std::string_view data) {
  unified_log::Timesync timesync;
  timesync.Add(data);
  unified_log::Uuid boot{};
  if (data.size() >= 24) std::copy_n(data.data() + 8, 16, boot.begin());
  for (uint64_t ct : {uint64_t{0}, uint64_t{1} << 40, ~uint64_t{0}})
    Touch(unified_log::FormatTimestamp(timesync.WallNanos(boot, ct, 125, 3, 1, 1673487385)));
}

const std::vector<Target>& Targets() {
  static const std::vector<Target> targets = {
      {"input_reader", FuzzInputReader, "InputReader::Read: format detection and every format"},
      {"analyze", FuzzAnalyze, "AnalyzeText with the embedded rules, then all three report writers"},
      {"json_event", FuzzJsonEvent, "JsonLogEventParser::Parse (one ndjson/json log entry)"},
      {"line_parsers", FuzzLineParsers, "default, compact and syslog line parsers, boilerplate test"},
      {"loose_text", FuzzLooseText, "ParseLooseLine (pasted text)"},
      {"ips", FuzzIps, "IpsReader::Read (header line + JSON body), and salvaged as cut"},
      {"crash_text", FuzzCrashText, "CrashTextReader (.crash, Translated Report)"},
      {"notary_log", FuzzNotaryLog, "NotaryLogReader::Read (notarytool/altool JSON log), and salvaged as cut"},
      {"tool_output", FuzzToolOutput, "ToolOutputStart / ContinuesToolOutput"},
      {"bundle", FuzzBundle, "ReadArchiveData (zip, tar.gz) within limits, then InputReader on each member"},
      {"macho", FuzzMachO, "Mach-O, SuperBlob, CodeDirectory, page hashes, plist and CMS parsing (inspect/)"},
      {"rule_loader", FuzzRuleLoader, "LoadRuleText, CheckRuleSet, Matcher::Compile, Match"},
      {"tracev3", FuzzTracev3, "unified_log::ArchiveReader::ReadBytes: a whole tracev3 to Records"},
      {"chunkset", FuzzChunkset,
       "DecompressChunkset, then the catalog, firehose, oversize, simpledump, statedump parsers"},
      {"uuidtext", FuzzUuidtext, "unified_log::UuidText::Parse and Find"},
      {"dsc", FuzzDsc, "unified_log::SharedCacheStrings::Parse (v1, v2), Find and FindImage"},
      {"formatter", FuzzFormatter, "unified_log::ReadArguments, FormatMessage, FormatArgumentsOnly"},
      {"timesync", FuzzTimesync, "unified_log::Timesync::Add and WallNanos, FormatTimestamp"},
  };
  return targets;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& target : Targets()) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

}  // namespace tediag::fuzz
