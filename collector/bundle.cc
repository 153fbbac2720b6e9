#include "bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fmt/core.h"
#include "report/report_writers.h"
#include "util/json_writer.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

constexpr std::string_view kReserveName = ".reserve";  // hidden: neither analysed nor archived

}  // namespace

std::string ManifestJson(const Manifest& m, std::span<const CommandRecord> commands,
                         const ManifestRedaction* redaction) {
  JsonWriter w;
  w.BeginObject();
  w.Field("schema", kBundleSchema);
  w.Field("tool_version", m.tool_version);
  w.Field("macos_version", m.macos_version);
  w.Field("state", m.state);
  w.Key("app");
  w.BeginObject();
  w.Field("query", m.app_query);
  w.Field("name", m.app_name);
  w.Field("path", m.app_path);
  w.Field("bundle_id", m.bundle_id);
  w.Field("executable", m.executable);
  w.Field("version", m.app_version);
  w.Field("resolved_by", m.resolved_how);
  w.EndObject();
  w.Field("started", m.started);
  w.Field("ended", m.ended);
  w.Field("stop_reason", m.stop_reason);
  w.Field("predicate", m.predicate);
  w.Field("events", m.events);
  w.Field("relevant_events", m.relevant_events);
  w.StringArray("crash_reports", m.crash_reports);
  w.Key("commands");
  w.BeginArray();
  for (const CommandRecord& r : commands) {
    w.BeginObject();
    w.Field("purpose", r.purpose);
    w.StringArray("argv", r.argv);
    w.Field("started", r.started);
    w.Key("seconds");
    w.Raw(fmt::format("{:.3f}", r.seconds));
    w.Field("exit_code", r.exit_code);
    w.Field("outcome", r.outcome);
    w.Field("output", r.output_file);
    w.EndObject();
  }
  w.EndArray();
  w.StringArray("incomplete", m.incomplete);
  w.StringArray("notes", m.notes);
  if (redaction) {
    w.Key("redaction");
    w.BeginObject();
    w.Field("applied", true);
    WriteReplacedJson(w, redaction->replaced);
    w.StringArray("left_out", redaction->left_out);
    w.EndObject();
  }
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

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
  std::string out = ManifestJson(m, commands.records());

  std::string tmp = PathOf(".manifest.json.tmp");
  if (absl::Status status = WriteFile(".manifest.json.tmp", out); !status.ok()) return status;
  if (std::rename(tmp.c_str(), PathOf(kManifestFile).c_str()) != 0) {
    return absl::ErrnoToStatus(errno, StrCat("cannot write ", PathOf(kManifestFile)));
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
