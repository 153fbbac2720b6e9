// tediag inspect on archives of code: a zip or tar.gz built here (with libarchive's writer,
// which stores Unix modes and symlinks in a zip's external attributes as `ditto -c -k` does)
// from a real Developer ID app of the npm registry (osx-notifier@0.2.2), and hostile archives.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "archive_unpack.h"
#include "bundle_inspector.h"
#include "inspect/npm_fixtures.h"

namespace tediag::inspect {
namespace {
namespace fs = std::filesystem;

struct Member {
  std::string name;
  mode_t type = AE_IFREG;
  mode_t perm = 0644;
  std::string data;  // a file's bytes, or a link's target
  bool hardlink = false;
};

enum class Format { kZip, kTarGz, kTarXz };

void WriteArchive(const fs::path& path, Format format, const std::vector<Member>& members) {
  archive* a = archive_write_new();
  if (format == Format::kZip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    format == Format::kTarGz ? archive_write_add_filter_gzip(a) : archive_write_add_filter_xz(a);
  }
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK) << archive_error_string(a);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, m.perm);
    if (m.hardlink) {
      archive_entry_set_hardlink(e, m.data.c_str());
    } else if (m.type == AE_IFLNK) {
      archive_entry_set_symlink(e, m.data.c_str());
    } else if (m.type == AE_IFREG) {
      archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    }
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << m.name << ": " << archive_error_string(a);
    if (m.type == AE_IFREG && !m.hardlink) archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The tree under `root` as members named "`top`/…", with lstat's modes, links as links.
std::vector<Member> MembersOf(const fs::path& root, const std::string& top) {
  std::vector<Member> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    struct stat st {};
    lstat(it->path().c_str(), &st);
    Member m{top + "/" + it->path().lexically_relative(root).generic_string(), static_cast<mode_t>(st.st_mode & S_IFMT),
             static_cast<mode_t>(st.st_mode & 07777), ""};
    if (S_ISLNK(st.st_mode)) {
      m.data = fs::read_symlink(it->path()).string();
    } else if (S_ISREG(st.st_mode)) {
      m.data = ReadAll(it->path());
    }
    out.push_back(std::move(m));
  }
  return out;
}

using ::tediag::test::Inspect;

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Each observation as one comparable line, with `prefix` written as "<top>".
std::vector<std::string> Lines(const std::vector<Observation>& list, const std::string& prefix) {
  std::vector<std::string> out;
  for (const Observation& o : list) {
    if (o.code == "archive") continue;
    out.push_back(Replace(ObservationLine(o), prefix, "<top>"));
  }
  return out;
}

class InspectArchive : public ::testing::TestWithParam<Format> {
 protected:
  void SetUp() override {
    auto pkg = test::NpmPackage("osx-notifier@0.2.2");
    if (!pkg) GTEST_SKIP() << "npm registry not reachable: could not fetch osx-notifier@0.2.2";
    dir_ = test::FreshDir("archive");
    app_ = dir_ / "unpacked/terminal-notifier-pass.app";
    fs::create_directories(app_.parent_path());
    fs::copy(*pkg / "osx/terminal-notifier-pass.app", app_, fs::copy_options::recursive);
    // A framework in the versioned layout, its Current and top-level entries symlinks (as Xcode
    // builds them), with the app's own executable as its binary.
    fs::path fw = app_ / "Contents/Frameworks/Notify.framework";
    fs::create_directories(fw / "Versions/A/Resources");
    fs::copy_file(app_ / "Contents/MacOS/terminal-notifier", fw / "Versions/A/Notify");
    std::ofstream(fw / "Versions/A/Resources/Info.plist")
        << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>CFBundleExecutable</key>"
           "<string>Notify</string><key>CFBundleIdentifier</key><string>example.notify</string></dict></plist>\n";
    fs::create_directory_symlink("A", fw / "Versions/Current");
    fs::create_symlink("Versions/Current/Notify", fw / "Notify");
    fs::create_directory_symlink("Versions/Current/Resources", fw / "Resources");
  }
  fs::path Pack(const std::string& file) {
    fs::path archive = dir_ / file;
    WriteArchive(archive, GetParam(), MembersOf(app_, "terminal-notifier-pass.app"));
    return archive;
  }
  fs::path dir_, app_;
};

TEST_P(InspectArchive, FindingsEqualThoseOnTheUnpackedApp) {
  fs::path archive = Pack("MyApp.archive");
  auto unpacked = Inspect(app_);
  auto packed = Inspect(archive);
  EXPECT_EQ(Lines(packed, archive.string() + ":terminal-notifier-pass.app"), Lines(unpacked, app_.string()));
  // Paths name the member inside the archive.
  bool named = false;
  for (const Observation& o : packed)
    named |= o.path == archive.string() + ":terminal-notifier-pass.app/Contents/MacOS/terminal-notifier";
  EXPECT_TRUE(named);
  // The same signature facts as on disk (osx-notifier's 2012 Developer ID signature).
  std::string lines = ObservationText(packed);
  EXPECT_NE(lines.find("Developer ID Application: Springest Corporate B.V."), std::string::npos);
  EXPECT_NE(lines.find("tediag-inspect: seal-v1: " + archive.string() + ":terminal-notifier-pass.app:"),
            std::string::npos)
      << lines;
  EXPECT_EQ(lines.find("not-executable"), std::string::npos) << lines;  // the x bit travelled
}

TEST_P(InspectArchive, KeepsSymlinksAndExecutableBits) {
  auto unpacked = UnpackArchive(Pack("MyApp.archive"));
  ASSERT_TRUE(unpacked.ok()) << unpacked.status();
  EXPECT_TRUE(unpacked->problems.empty());
  fs::path fw = unpacked->root() / "terminal-notifier-pass.app/Contents/Frameworks/Notify.framework";
  EXPECT_TRUE(fs::is_symlink(fw / "Versions/Current"));
  EXPECT_EQ(fs::read_symlink(fw / "Versions/Current"), "A");
  EXPECT_TRUE(fs::is_symlink(fw / "Notify"));
  struct stat st {};
  ASSERT_EQ(stat((unpacked->root() / "terminal-notifier-pass.app/Contents/MacOS/terminal-notifier").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  fs::path root = unpacked->root();
  unpacked = absl::InvalidArgumentError("gone");  // destroying it removes the folder
  EXPECT_FALSE(fs::exists(root));
}

TEST_P(InspectArchive, ExecutableStoredWithoutItsXBit) {
  fs::permissions(app_ / "Contents/MacOS/terminal-notifier",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  fs::path archive = Pack("MyApp.archive");
  auto obs = Inspect(archive);
  std::vector<std::string> found;
  for (const Observation& o : obs)
    if (o.code == "not-executable") found.push_back(o.path + ": " + o.detail);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rfind(archive.string() + ":terminal-notifier-pass.app/Contents/MacOS/terminal-notifier: ", 0), 0u)
      << found[0];
  EXPECT_NE(found[0].find("mode 0644"), std::string::npos) << found[0];
}

std::string FormatName(const ::testing::TestParamInfo<Format>& param) {
  static constexpr const char* kNames[] = {"zip", "tar_gz", "tar_xz"};
  return kNames[static_cast<int>(param.param)];
}

INSTANTIATE_TEST_SUITE_P(Formats, InspectArchive, ::testing::Values(Format::kZip, Format::kTarGz, Format::kTarXz),
                         FormatName);

// A hostile archive: every escape is refused and named, nothing lands outside the private folder,
// and the harmless entries are still unpacked.
TEST(InspectArchiveHostile, EscapesAreRefusedAndNamed) {
  fs::path dir = test::FreshDir("hostile");
  std::string stamp = dir.filename().string();
  std::string escape = "../../" + stamp + "-slip";  // would land beside the private folder's parent
  fs::path archive = dir / "evil.tar.gz";
  WriteArchive(archive, Format::kTarGz,
               {{"App.app/Contents/Info.plist", AE_IFREG, 0644, "<plist><dict/></plist>"},
                {escape, AE_IFREG, 0644, "x"},
                {"/tmp/" + stamp + "-absolute", AE_IFREG, 0644, "x"},
                {"App.app/Contents/Resources/../../../up", AE_IFREG, 0644, "x"},
                {"App.app/Contents/etc", AE_IFLNK, 0777, "/etc"},
                {"App.app/Contents/out", AE_IFLNK, 0777, "../../../.."},
                {"App.app/Contents/in", AE_IFLNK, 0777, "Resources"},
                {"App.app/Contents/Resources/r", AE_IFREG, 0644, "r"},
                {"App.app/Contents/in/through", AE_IFREG, 0644, "x"},
                {"App.app/Contents/hard", AE_IFREG, 0644, "../../outside", true}});
  auto unpacked = UnpackArchive(archive);
  ASSERT_TRUE(unpacked.ok()) << unpacked.status();
  std::map<std::string, std::string> problems;
  for (const auto& p : unpacked->problems) problems[p.entry] = p.message;
  EXPECT_NE(problems[escape].find("zip-slip"), std::string::npos) << problems[escape];
  EXPECT_NE(problems["/tmp/" + stamp + "-absolute"].find("absolute path"), std::string::npos);
  EXPECT_NE(problems["App.app/Contents/Resources/../../../up"].find("zip-slip"), std::string::npos);
  EXPECT_NE(problems["App.app/Contents/etc"].find("outside the archive"), std::string::npos);
  EXPECT_NE(problems["App.app/Contents/out"].find("outside the archive"), std::string::npos);
  EXPECT_NE(problems["App.app/Contents/in/through"].find("refused"), std::string::npos);  // libarchive's check
  EXPECT_NE(problems["App.app/Contents/hard"].find("hard link"), std::string::npos);
  EXPECT_EQ(problems.size(), 7u);
  fs::path root = unpacked->root();
  EXPECT_TRUE(fs::is_symlink(root / "App.app/Contents/in"));
  EXPECT_EQ(ReadAll(root / "App.app/Contents/Resources/r"), "r");
  EXPECT_FALSE(fs::exists(root.parent_path().parent_path() / (stamp + "-slip")));
  EXPECT_FALSE(fs::exists("/tmp/" + stamp + "-absolute"));
  EXPECT_FALSE(fs::exists(root.parent_path() / "outside"));
  // Through the inspection, the refusals are problems of the input, named inside the archive.
  auto obs = Inspect(archive);
  size_t named = 0;
  for (const Observation& o : obs)
    named += o.kind == Observation::Kind::kProblem && o.path.rfind(archive.string() + ":", 0) == 0;
  EXPECT_EQ(named, 7u);
}

TEST(InspectArchiveHostile, LimitsStopTheUnpacking) {
  fs::path dir = test::FreshDir("limits");
  fs::path archive = dir / "many.zip";
  std::vector<Member> members;
  for (int i = 0; i < 20; ++i) members.push_back({"f" + std::to_string(i), AE_IFREG, 0644, std::string(1000, 'a')});
  WriteArchive(archive, Format::kZip, members);
  auto few = UnpackArchive(archive, {.max_entries = 5});
  ASSERT_TRUE(few.ok());
  EXPECT_EQ(few->entries, 5u);
  ASSERT_EQ(few->problems.size(), 1u);
  EXPECT_NE(few->problems[0].message.find("more than 5 entries"), std::string::npos);
  auto bomb = UnpackArchive(archive, {.max_ratio = 2});
  ASSERT_TRUE(bomb.ok());
  ASSERT_EQ(bomb->problems.size(), 1u);
  EXPECT_NE(bomb->problems[0].message.find("zip bomb"), std::string::npos) << bomb->problems[0].message;
}

TEST(InspectArchiveHostile, NotAnArchiveIsAProblem) {
  fs::path file = test::FreshDir("notarchive") / "x.tar.gz";
  std::ofstream(file) << "\x1f\x8b not really gzip";
  auto obs = Inspect(file);
  ASSERT_FALSE(obs.empty());
  EXPECT_EQ(obs[0].kind, Observation::Kind::kProblem);
  EXPECT_EQ(obs[0].code, "archive-unreadable");
}

}  // namespace
}  // namespace tediag::inspect
