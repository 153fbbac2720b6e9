// Google Benchmark figures for the analyzer's hot pieces, on lines of a real-shaped ndjson export
// (bench/generate.py): the JSON entry parser, the literal prefilter, the matcher, and the reader
// that strings them together. bench/run.sh runs it after the end-to-end table.
//   micro FILE.ndjson [--benchmark_filter=...]   (the first 32 MB of FILE are used)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "match/literal_scanner.h"
#include "match/matcher.h"
#include "read/input_reader.h"
#include "read/json_event.h"
#include "tediag/embedded_rules.h"

namespace tediag {
namespace {

constexpr size_t kPadding = 64;  // what simdjson may read past a value
constexpr size_t kSampleBytes = size_t{32} << 20;

struct Sample {
  std::string data;                     // whole lines, then kPadding spare bytes
  std::vector<std::string_view> lines;  // into data
  std::vector<std::string> messages;    // each event's eventMessage, unescaped
  size_t bytes() const { return data.size() - kPadding; }
};

Sample& TheSample() {
  static Sample sample;
  return sample;
}

bool LoadSample(const char* path) {
  Sample& sample = TheSample();
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  sample.data.resize(kSampleBytes);
  in.read(sample.data.data(), static_cast<std::streamsize>(sample.data.size()));
  sample.data.resize(static_cast<size_t>(in.gcount()));
  sample.data.resize(sample.data.rfind('\n') + 1);  // whole lines only
  sample.data.append(kPadding, '\0');
  std::string_view rest(sample.data.data(), sample.bytes());
  for (size_t eol; (eol = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(eol + 1)) {
    sample.lines.push_back(rest.substr(0, eol));
  }
  JsonLogEventParser parser;
  for (std::string_view line : sample.lines) {
    Record record;
    auto kind = parser.Parse(line, record);
    if (kind.ok() && *kind == JsonLogEventParser::Kind::kEvent) {
      sample.messages.emplace_back(record.Get(Field::kMessage));
    }
  }
  return !sample.lines.empty();
}

const Matcher& EmbeddedMatcher() {
  static const Matcher* matcher = [] {
    std::vector<RuleError> errors;
    return Matcher::Compile(EmbeddedRuleSet().rules, errors, EmbeddedPatternPrefilters()).release();
  }();
  return *matcher;
}

// The literals the embedded log rules need in a message: what the prefilter scans every message for.
std::vector<std::string> MessageLiterals() {
  std::vector<std::string> literals;
  std::span<const AnalysedPattern> known = EmbeddedPatternPrefilters();
  for (const Rule& rule : EmbeddedRuleSet().rules) {
    if (!rule.applies_to_log) continue;
    std::vector<const Condition*> conditions;
    for (const auto& selection : rule.when) {
      for (const Condition& condition : selection) conditions.push_back(&condition);
    }
    for (const Condition& condition : rule.unless) conditions.push_back(&condition);
    for (const Condition* condition : conditions) {
      if (condition->field != Field::kMessage) continue;
      for (const std::string& pattern : condition->patterns) {
        auto it =
            std::find_if(known.begin(), known.end(), [&](const AnalysedPattern& p) { return p.pattern == pattern; });
        if (it != known.end()) literals.insert(literals.end(), it->atoms.begin(), it->atoms.end());
      }
    }
  }
  std::sort(literals.begin(), literals.end());
  literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
  return literals;
}

void BM_JsonEntryParse(benchmark::State& state) {
  const Sample& sample = TheSample();
  JsonLogEventParser parser;
  Record record;
  for (auto _ : state) {
    for (std::string_view line : sample.lines) {
      // In place, as the reader parses a line inside its chunk: the rest of the chunk follows it.
      size_t after = static_cast<size_t>(sample.data.data() + sample.data.size() - (line.data() + line.size()));
      benchmark::DoNotOptimize(parser.Parse(line, record, after));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sample.bytes()));
  state.counters["lines"] = static_cast<double>(sample.lines.size());
}

void BM_LiteralPrefilter(benchmark::State& state) {
  const Sample& sample = TheSample();
  const std::vector<std::string> literals = MessageLiterals();
  LiteralScanner scanner(literals);
  std::vector<int> found;
  size_t bytes = 0, hits = 0;
  for (const std::string& message : sample.messages) bytes += message.size();
  for (auto _ : state) {
    hits = 0;
    for (const std::string& message : sample.messages) {
      found.clear();
      scanner.Find(message, found);
      hits += !found.empty();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["literals"] = static_cast<double>(literals.size());
  state.counters["messages_with_a_literal_%"] =
      100.0 * static_cast<double>(hits) / static_cast<double>(sample.messages.size());
}

void BM_ParseAndMatch(benchmark::State& state) {
  const Sample& sample = TheSample();
  const Matcher& matcher = EmbeddedMatcher();
  JsonLogEventParser parser;
  Record record;
  Matcher::Scratch scratch;
  std::vector<uint32_t> hits;
  size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (std::string_view line : sample.lines) {
      size_t after = static_cast<size_t>(sample.data.data() + sample.data.size() - (line.data() + line.size()));
      auto kind = parser.Parse(line, record, after);
      if (!kind.ok() || *kind != JsonLogEventParser::Kind::kEvent) continue;
      hits.clear();
      matcher.Match(record, scratch, hits);
      matched += !hits.empty();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sample.bytes()));
  state.counters["matched_lines"] = static_cast<double>(matched);
}

class CountingSink : public RecordSink {
 public:
  void OnRecord(const Record&) override { ++records; }
  void OnError(uint64_t, std::string_view) override {}
  void OnFormat(InputFormat) override {}
  size_t records = 0;
};

void BM_InputReader(benchmark::State& state) {
  const Sample& sample = TheSample();
  CountingSink sink;
  for (auto _ : state) {
    InputReader reader;
    reader.Read(std::string_view(sample.data.data(), sample.bytes()), sink, kPadding);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sample.bytes()));
}

BENCHMARK(BM_JsonEntryParse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LiteralPrefilter)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndMatch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InputReader)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tediag

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: micro FILE.ndjson [benchmark flags]  (a file from bench/generate.py)\n");
    return 2;
  }
  if (!tediag::LoadSample(argv[1])) {
    std::fprintf(stderr, "micro: cannot read lines from %s\n", argv[1]);
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
