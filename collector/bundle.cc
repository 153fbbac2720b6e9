#include "bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fmt/core.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view kReserveName = ".reserve";  // hidden: neither analysed nor archived

void Field(std::string& out, std::string_view key, std::string_view value, bool last = false) {
  out += StrCat("  ", JsonString(key), ": ", JsonString(value), last ? "\n" : ",\n");
}

std::string StringArray(const std::vector<std::string>& values, std::string_view indent) {
  if (values.empty()) return "[]";
  std::string out = "[\n";
  for (size_t i = 0; i < values.size(); ++i) {
    out += StrCat(indent, "  ", JsonString(values[i]), i + 1 < values.size() ? ",\n" : "\n");
  }
  return StrCat(out, indent, "]");
}

}  // namespace

absl::StatusOr<Bundle> Bundle::Create(std::string dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return absl::AlreadyExistsError(StrCat(dir, " already exists; choose another --out"));
  }
  fs::create_directories(dir, ec);
  if (ec) return absl::PermissionDeniedError(StrCat("cannot create ", dir, ": ", ec.message()));
  Bundle bundle(std::move(dir));
  // Without the space, the bundle still works; only a full disk later loses the manifest's word.
  if (!bundle.WriteFile(kReserveName, std::string(kReserveBytes, '\0')).ok()) bundle.ReleaseReserve();
  return bundle;
}

bool Bundle::ReleaseReserve() const { return std::remove(PathOf(kReserveName).c_str()) == 0; }

std::string Bundle::PathOf(std::string_view relative) const { return StrCat(dir_, "/", relative); }

absl::Status Bundle::WriteFile(std::string_view relative, std::string_view content) const {
  std::string path = PathOf(relative);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return absl::ErrnoToStatus(errno, StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::Status Bundle::CopyIn(const std::string& source, std::string_view relative) const {
  std::string path = PathOf(relative);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  fs::copy_file(source, path, fs::copy_options::overwrite_existing, ec);
  if (ec) return absl::ErrnoToStatus(ec.value(), StrCat("cannot copy ", source));
  return absl::OkStatus();
}

absl::Status Bundle::WriteManifest(const Manifest& m, const CommandLog& commands) const {
  std::string out = "{\n";
  Field(out, "schema", "tediag.bundle/1");
  Field(out, "tool_version", m.tool_version);
  Field(out, "macos_version", m.macos_version);
  Field(out, "state", m.state);
  out += "  \"app\": {\n";
  for (auto [key, value] : {std::pair<std::string_view, const std::string&>{"query", m.app_query},
                            {"name", m.app_name}, {"path", m.app_path}, {"bundle_id", m.bundle_id},
                            {"executable", m.executable}, {"version", m.app_version}}) {
    out += StrCat("    ", JsonString(key), ": ", JsonString(value), ",\n");
  }
  out += StrCat("    \"resolved_by\": ", JsonString(m.resolved_how), "\n  },\n");
  Field(out, "started", m.started);
  Field(out, "ended", m.ended);
  Field(out, "stop_reason", m.stop_reason);
  Field(out, "predicate", m.predicate);
  out += StrCat("  \"events\": ", m.events, ",\n  \"relevant_events\": ", m.relevant_events, ",\n");
  out += StrCat("  \"crash_reports\": ", StringArray(m.crash_reports, "  "), ",\n");
  out += "  \"commands\": [";
  const std::vector<CommandRecord>& records = commands.records();
  for (size_t i = 0; i < records.size(); ++i) {
    const CommandRecord& r = records[i];
    out += StrCat(i == 0 ? "\n" : ",\n", "    {\"purpose\": ", JsonString(r.purpose),
                  ", \"argv\": ", StringArray(r.argv, "    "), ", \"started\": ", JsonString(r.started),
                  ", \"seconds\": ", fmt::format("{:.3f}", r.seconds),
                  ", \"exit_code\": ", r.exit_code, ", \"outcome\": ", JsonString(r.outcome),
                  ", \"output\": ", JsonString(r.output_file), "}");
  }
  out += records.empty() ? "],\n" : "\n  ],\n";
  out += StrCat("  \"incomplete\": ", StringArray(m.incomplete, "  "), ",\n");
  out += StrCat("  \"notes\": ", StringArray(m.notes, "  "), "\n}\n");

  std::string tmp = PathOf(".manifest.json.tmp");
  if (absl::Status status = WriteFile(".manifest.json.tmp", out); !status.ok()) return status;
  if (std::rename(tmp.c_str(), PathOf("manifest.json").c_str()) != 0) {
    return absl::ErrnoToStatus(errno, StrCat("cannot write ", PathOf("manifest.json")));
  }
  return absl::OkStatus();
}

absl::StatusOr<LineWriter> LineWriter::Open(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return absl::PermissionDeniedError(StrCat("cannot write ", path, ": ", std::strerror(errno)));
  return LineWriter(fd);
}

LineWriter::~LineWriter() {
  if (fd_ >= 0) close(fd_);
}

absl::Status LineWriter::Write(std::string_view line) {
  std::string buffer = StrCat(line, "\n");
  std::string_view rest = buffer;
  while (!rest.empty()) {
    ssize_t n = write(fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "write failed");
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace tediag::collector
