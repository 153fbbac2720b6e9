// ChunkSource: where inputs are cut, line numbers across chunks, limits; and that the analysis
// of a many-chunk input is the same on one thread and on several.
#include "input/chunk_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer.h"
#include "read/line_parsers.h"
#include "report/report_writers.h"
#include "test_support.h"

namespace tediag {
namespace {

namespace fs = std::filesystem;

class ChunkSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tediag-chunks-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::vector<Chunk> ReadAll(const std::string& path) {
    auto source = ChunkSource::Open({path, false, {}}, IsWholeEntryLine);
    EXPECT_TRUE(source.ok()) << source.status();
    std::vector<Chunk> chunks;
    while (true) {
      Chunk chunk;
      absl::StatusOr<bool> more = (*source)->Next(chunk);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      chunks.push_back(std::move(chunk));
    }
    return chunks;
  }

  fs::path dir_;
};

// A default-style log of `entries` lines where every 50th entry continues over two more lines.
std::string DefaultStyleLog(size_t entries) {
  std::string text = "Timestamp                       Thread     Type        Activity             PID    TTL  \n";
  for (size_t i = 0; i < entries; ++i) {
    text +=
        "2024-05-01 10:10:10.123456+0200 0x1a2b     Default     0x0                  123    0    "
        "someprocess: (libsystem_info.dylib) an ordinary message number " +
        std::to_string(i) + "\n";
    if (i % 50 == 0) text += "  continued on a second line\n  and a third\n";
  }
  return text;
}

TEST_F(ChunkSourceTest, CutsOnlyBetweenWholeEntriesAndKeepsLineNumbers) {
  std::string text = DefaultStyleLog(120000);  // about 14 MB: several chunks
  std::vector<Chunk> chunks = ReadAll(Write("default.log", text));
  ASSERT_GE(chunks.size(), 3u);
  std::string joined;
  uint64_t line = 1;
  for (const Chunk& chunk : chunks) {
    EXPECT_EQ(chunk.first_line, line);
    if (!joined.empty()) {
      EXPECT_TRUE(chunk.data().starts_with("2024-05-01 ")) << "a chunk starts with an entry line";
      EXPECT_TRUE(joined.ends_with("\n"));
      EXPECT_FALSE(std::string_view(joined).substr(joined.rfind('\n', joined.size() - 2)).starts_with("\n  "))
          << "the line before a cut is an entry line, not a continuation";
    }
    EXPECT_EQ(chunk.buffer.size(), chunk.size + ChunkSource::kPadding);
    joined += chunk.data();
    line += static_cast<uint64_t>(std::count(chunk.data().begin(), chunk.data().end(), '\n'));
  }
  EXPECT_EQ(joined, text);
}

TEST_F(ChunkSourceTest, SkipsALineOverTheLimitAndReadsOn) {
  std::string text = "first line\n" + std::string(ChunkSource::kMaxLineBytes + 10, 'x') + "\nthird line\n";
  std::vector<Chunk> chunks = ReadAll(Write("long.txt", text));
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].data(), "first line\n\nthird line\n") << "the long line is left empty, in its place";
  ASSERT_EQ(chunks[0].errors.size(), 1u);
  EXPECT_EQ(chunks[0].errors[0].first, 2u);
  EXPECT_NE(chunks[0].errors[0].second.find("over the limit of 16 MiB"), std::string::npos);
}

TEST_F(ChunkSourceTest, RefusesBinaryFilesWithAReason) {
  auto png = ChunkSource::Open({Write("binary.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), false, {}},
                               IsWholeEntryLine);
  ASSERT_FALSE(png.ok());
  EXPECT_NE(std::string(png.status().message()).find("binary file"), std::string::npos);
  auto missing = ChunkSource::Open({(dir_ / "missing").string(), false, "no such file or folder"}, IsWholeEntryLine);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(std::string(missing.status().message()), "no such file or folder");
}

// An ndjson export of `lines` ordinary events, with a Gatekeeper denial every 7001st line and a
// kernel code-signing kill every 9001st, as `log show --style ndjson` writes them.
std::string NdjsonExport(size_t lines) {
  std::string text;
  for (size_t i = 1; i <= lines; ++i) {
    std::string message = "ordinary event " + std::to_string(i) + " from a daemon doing its work";
    std::string process = "\\/usr\\/libexec\\/somed";
    if (i % 7001 == 0) {
      message = "ASP: Security policy would not allow process: " + std::to_string(i) + ", \\/Applications\\/Foo" +
                std::to_string(i % 3) + ".app\\/Contents\\/MacOS\\/Foo";
      process = "\\/kernel";
    } else if (i % 9001 == 0) {
      message = "CODE SIGNING: cs_invalid_page(0x1000): p=" + std::to_string(i) + "[Bar] final status 0x23020200";
      process = "\\/kernel";
    }
    text += "{\"traceID\":" + std::to_string(i) + ",\"eventMessage\":\"" + message +
            "\",\"eventType\":\"logEvent\",\"processImagePath\":\"" + process +
            "\",\"timestamp\":\"2024-05-01 10:10:10.123456+0200\",\"messageType\":\"Default\",\"processID\":" +
            std::to_string(100 + i % 50) + "}\n";
  }
  return text;
}

TEST_F(ChunkSourceTest, AnalysisIsTheSameOnOneThreadAndOnSeveral) {
  std::string path = Write("export.ndjson", NdjsonExport(90000));  // about 18 MB: several chunks
  AnalyzeOptions options;
  options.inputs = {path, path};  // twice: crash-free inputs are not deduplicated
  options.threads = 1;
  Report one = Analyze(testing::EmbeddedMatcher(), options);
  options.threads = 3;
  Report three = Analyze(testing::EmbeddedMatcher(), options);
  EXPECT_EQ(RenderJson(one, {.tool_version = "test"}), RenderJson(three, {.tool_version = "test"}));

  ASSERT_EQ(one.inputs.size(), 2u);
  EXPECT_EQ(one.inputs[0].records, 90000u);
  EXPECT_EQ(one.inputs[0].format, InputFormat::kNdjson);
  const Finding* denial = nullptr;
  for (const Finding& finding : one.findings) {
    if (finding.rule->id == "gk-asp-denied" && AppName(one, finding.app) == "Foo1") denial = &finding;
  }
  ASSERT_NE(denial, nullptr);
  ASSERT_FALSE(denial->evidence.empty());
  // Foo1 is denied on lines 7001 × k where 2k ≡ 1 (mod 3): k = 2, 5, 8, 11; in both inputs.
  EXPECT_EQ(denial->evidence[0].line, 14002u) << "line numbers run on across chunks";
  EXPECT_EQ(denial->hits, 8u);
}

}  // namespace
}  // namespace tediag
