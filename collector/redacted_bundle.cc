#include "redacted_bundle.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "archive_writer.h"
#include "bundle.h"
#include "input/text_encoding.h"
#include "report/report_writers.h"
#include "util/text_util.h"

namespace tediag::collector {
namespace {
namespace fs = std::filesystem;

struct FolderFile {
  std::string relative;  // inside the folder, with '/'
  std::string name;      // in the archive: the folder's own name first
  std::string text;      // UTF-8; empty for a binary file
  std::string binary_kind;
};

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::ErrnoToStatus(errno, StrCat("cannot read ", path));
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::ErrnoToStatus(errno, StrCat("cannot read ", path));
  return std::move(content).str();
}

std::string ArchiveSafeName(std::string name) {
  for (char& c : name) {
    if (c == '<' || c == '>') c = '_';
  }
  return name;
}

}  // namespace

absl::StatusOr<std::string> WriteRedactedArchive(const std::string& dir, const std::string& base, Report& report,
                                                 const Manifest& manifest, const std::vector<CommandRecord>& commands,
                                                 Redactor& redactor) {
  absl::StatusOr<std::vector<std::string>> paths = ListFolder(dir);
  if (!paths.ok()) return paths.status();
  fs::path root = fs::path(dir).lexically_normal();
  if (root.filename().empty()) root = root.parent_path();

  // Learn from everything first, so that every file is redacted alike.
  std::vector<FolderFile> files;
  for (const std::string& path : *paths) {
    FolderFile file;
    file.relative = fs::path(path).lexically_relative(root).generic_string();
    file.name = (root.filename() / file.relative).generic_string();
    absl::StatusOr<std::string> data = ReadWhole(path);
    if (!data.ok()) return data.status();
    if (std::optional<std::string> utf8 = DecodeUtf16WithBom(*data)) {
      file.text = *std::move(utf8);
    } else if (std::string_view kind = BinaryKind(std::string_view(*data).substr(0, 4096)); !kind.empty()) {
      file.binary_kind = std::string(kind);
    } else {
      file.text = *std::move(data);
    }
    redactor.Learn(file.name);
    if (file.binary_kind.empty()) redactor.Learn(file.text);
    files.push_back(std::move(file));
  }
  redactor.RedactReport(report);

  std::vector<ArchiveEntry> entries;
  std::vector<std::string> left_out;
  std::optional<size_t> manifest_entry;
  Manifest sent = manifest;
  std::vector<CommandRecord> sent_commands = commands;
  for (FolderFile& file : files) {
    std::string name = ArchiveSafeName(redactor.Redact(file.name));
    if (!file.binary_kind.empty()) {
      left_out.push_back(StrCat(ArchiveSafeName(redactor.Redact(file.relative)), " (", file.binary_kind,
                                "; binary files are not sent redacted)"));
      continue;
    }
    const ReportWriter* writer = nullptr;
    for (const ReportWriter& w : ReportWriters()) {
      if (!w.bundle_file.empty() && file.relative == w.bundle_file) writer = &w;
    }
    if (writer != nullptr) {
      entries.push_back({name, writer->render(report, {.tool_version = manifest.tool_version})});
    } else if (file.relative == kManifestFile) {
      // Redacted in its place among the files (placeholders are numbered in that order), written
      // below, when every other file is redacted.
      ForEachManifestString(sent, sent_commands, [&redactor](std::string& s) { s = redactor.Redact(s); });
      manifest_entry = entries.size();
      entries.push_back({name, ""});
    } else {
      entries.push_back({name, redactor.Redact(file.text)});
    }
  }
  if (!manifest_entry) {
    return absl::FailedPreconditionError(StrCat(dir, " has no ", kManifestFile, " to record the redaction in"));
  }
  // Every file is redacted by now, so the summary covers the whole archive.
  ManifestRedaction redaction{.replaced = redactor.Summary(), .left_out = std::move(left_out)};
  entries[*manifest_entry].data = ManifestJson(sent, sent_commands, &redaction);
  return ArchiveEntries(entries, base);
}

}  // namespace tediag::collector
