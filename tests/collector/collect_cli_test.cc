// `tediag collect` end to end on any OS: the built binary with stand-in tools
// (tests/collector/standins) replaying a recorded failed launch of a fake app, Foo.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "input/archive_input.h"
#include "process.h"
#include "simdjson.h"
#include "test_support.h"
#include "util/text_util.h"

namespace tediag {
namespace {
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::Slurp;

const fs::path kSource = TEDIAG_SOURCE_DIR;
const fs::path kStandins = kSource / "tests/collector/standins";
const fs::path kRoot = kSource / "tests/collector/fixtures/root";

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

size_t CountLines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// One string field of a JSON document, by a path of keys and array indices ("diagnoses", "0", "class").
std::string JsonString(const std::string& json, std::initializer_list<const char*> path) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(json).get(element)) return "<not JSON>";
  for (const char* key : path) {
    bool index = key[0] >= '0' && key[0] <= '9';
    if (index ? element.at(std::strtoul(key, nullptr, 10)).get(element) : element[key].get(element)) {
      return "<missing>";
    }
  }
  std::string_view value;
  if (element.get_string().get(value)) return "<not a string>";
  return std::string(value);
}

// The bundle's evidence names one failure of one app (Foo, com.example.foo) several ways: the bundle
// ID (taskgated-helper), the executable's path (amfid, the kernel's ASP line), the crash report's
// process, and a kernel line that names no app. The report has one diagnosis of that app, each rule
// once, and no finding under another name.
void ExpectOneAppOneFindingPerFailure(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  simdjson::dom::array diagnoses = root["diagnoses"];
  ASSERT_EQ(diagnoses.size(), 1u) << json;
  EXPECT_EQ(std::string_view(diagnoses.at(0)["app"]["name"]), "Foo");
  EXPECT_EQ(std::string_view(diagnoses.at(0)["app"]["bundle_id"]), "com.example.foo");
  EXPECT_EQ(simdjson::dom::array(root["apps"]).size(), 1u) << json;
  EXPECT_EQ(simdjson::dom::array(root["other_findings"]).size(), 0u) << json;
  std::set<std::string> rules;
  for (simdjson::dom::element finding : simdjson::dom::array(diagnoses.at(0)["findings"])) {
    EXPECT_TRUE(rules.emplace(std::string_view(finding["rule"])).second) << "twice: " << finding["rule"];
    EXPECT_EQ(std::string_view(finding["app"]["name"]), "Foo");
  }
}

class CollectTest : public ::testing::Test {
 public:  // to the helpers below too
  void SetUp() override {
    dir_ = testing::ScratchDir("collect");
    fs::create_directories(dir_ / "home");
    reports_ = dir_ / "home/Library/Logs/DiagnosticReports";
  }
  void TearDown() override {
    if (!mounted_.empty()) ::umount2(mounted_.c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }

  // Runs tediag through env(1) with the stand-ins in place: no shell anywhere.
  Outcome Run(std::vector<std::string> args, std::vector<std::string> env = {},
              std::optional<milliseconds> interrupt_after = std::nullopt, bool standins = true) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    if (standins) {
      argv.push_back("TEDIAG_TOOL_DIR=" + kStandins.string());
    } else {
      argv.insert(argv.end(), {"-u", "TEDIAG_TOOL_DIR"});
    }
    argv.push_back("HOME=" + (dir_ / "home").string());
    argv.push_back("TEDIAG_ROOT=" + root_.string());
    argv.push_back("STANDIN_CRASH_TO=" + reports_.string());
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(TEDIAG_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());

    collector::ChildProcess::Options options;
    options.merge_stderr = false;
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<collector::ChildProcess> child = collector::ChildProcess::Start(argv, options);
    EXPECT_TRUE(child.ok()) << child.status();
    Outcome outcome;
    if (!child.ok()) return outcome;
    bool interrupted = false;
    while (child->stdout_fd() >= 0 || child->stderr_fd() >= 0) {
      pollfd fds[2] = {{child->stdout_fd(), POLLIN, 0}, {child->stderr_fd(), POLLIN, 0}};
      poll(fds, 2, 50);
      if (child->stdout_fd() >= 0 && fds[0].revents && !collector::ReadAvailable(child->stdout_fd(), outcome.out)) {
        child->CloseStdout();
      }
      if (child->stderr_fd() >= 0 && fds[1].revents && !collector::ReadAvailable(child->stderr_fd(), outcome.err)) {
        child->CloseStderr();
      }
      auto elapsed = std::chrono::steady_clock::now() - start;
      // Ctrl-C (or interrupt_signal_) once the time has come and, unless told otherwise, the
      // stream is under way (the first event is in the bundle).
      if (interrupt_after && !interrupted && elapsed >= *interrupt_after &&
          (!interrupt_mid_stream_ || CountLines(Slurp(dir_ / "bundle/events.ndjson")) >= 1) &&
          (interrupt_when_exists_.empty() || fs::exists(interrupt_when_exists_))) {
        kill(child->pid(), interrupt_signal_);  // tediag only: env exec'd it, keeping the pid
        interrupted = true;
      }
      if (elapsed > std::chrono::seconds(60)) break;  // a hang fails the test instead of blocking it
    }
    outcome.status = child->WaitOrKill(milliseconds(5000)).code;
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
  }

  // `tediag analyze` on a bundle (folder or archive); the JSON report.
  Outcome Analyze(const fs::path& bundle) { return Run({"analyze", "--format", "json", bundle.string()}); }

  fs::path dir_;
  fs::path reports_;
  fs::path root_ = kRoot;  // TEDIAG_ROOT: where /Applications is
  int interrupt_signal_ = SIGINT;
  fs::path mounted_;  // a tmpfs to unmount at the end
  bool interrupt_mid_stream_ = true;
  fs::path interrupt_when_exists_;  // and, when set, once this file exists
};

TEST_F(CollectTest, ReplayedFailedLaunchBecomesABundleWithTheDiagnosis) {
  // A report from an earlier crash must stay out; the stand-in `log` writes a new one mid-stream.
  fs::create_directories(reports_);
  std::ofstream(reports_ / "Foo_2020-01-01-000000_MacBook.crash") << "Process: Foo [1]\n";
  fs::last_write_time(reports_ / "Foo_2020-01-01-000000_MacBook.crash",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "5s", "--out", bundle.string()}, {"STANDIN_DELAY=0.2"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("tediag: app: Foo at " + (kRoot / "Applications/Foo.app").string()), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("now launch Foo again; press Ctrl-C when done"), std::string::npos);
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos) << run.out;
  EXPECT_EQ(run.err.find("events recorded"), std::string::npos);  // no live count off a terminal

  EXPECT_EQ(CountLines(Slurp(bundle / "events.ndjson")), 5u);
  EXPECT_TRUE(fs::exists(bundle / "crash-reports/Foo_2026-04-15-101112_MacBook.crash"));
  EXPECT_FALSE(fs::exists(bundle / "crash-reports/Foo_2020-01-01-000000_MacBook.crash"));
  EXPECT_NE(Slurp(bundle / "signing/spctl-assess.txt").find("Foo.app: accepted"), std::string::npos);
  EXPECT_NE(Slurp(bundle / "signing/codesign-verify.txt").find("valid on disk"), std::string::npos);
  EXPECT_NE(Slurp(bundle / "signing/xattr-bundle.txt").find("com.apple.quarantine: 0083;"), std::string::npos);
  EXPECT_TRUE(fs::exists(bundle / "report.md"));
  // tediag's own inspection of the app, beside codesign's: the stand-in executable is a script.
  std::string inspection = Slurp(bundle / "signing/tediag-inspect.txt");
  std::string app = (kRoot / "Applications/Foo.app").string();
  EXPECT_NE(inspection.find("tediag-inspect: bundle: " + app +
                            ": identifier=com.example.foo executable=Foo version=1.2.3 info-plist=xml"),
            std::string::npos)
      << inspection;
  EXPECT_NE(inspection.find("tediag-inspect: macho-malformed: " + app + "/Contents/MacOS/Foo: not a Mach-O file"),
            std::string::npos)
      << inspection;

  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"schema"}), "tediag.bundle/1");
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete");
  EXPECT_EQ(JsonString(manifest, {"macos_version"}), "26.4 (25E000)");
  EXPECT_EQ(JsonString(manifest, {"app", "bundle_id"}), "com.example.foo");
  EXPECT_EQ(JsonString(manifest, {"stop_reason"}), "log ended");
  EXPECT_NE(manifest.find("\"purpose\": \"codesign-verify\""), std::string::npos);
  EXPECT_NE(manifest.find("\"exit_code\": 0"), std::string::npos);

  // The diagnosis of the replayed failure: restricted entitlements, in the bundle's report and
  // when support reads the archive back.
  EXPECT_EQ(JsonString(Slurp(bundle / "report.json"), {"diagnoses", "0", "class"}), "restricted-entitlements");
  ExpectOneAppOneFindingPerFailure(Slurp(bundle / "report.json"));
  ASSERT_TRUE(fs::exists(dir_ / "bundle.zip"));
  Outcome analysed = Analyze(dir_ / "bundle.zip");
  EXPECT_EQ(analysed.status, 0) << analysed.err;
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), "restricted-entitlements");
  ExpectOneAppOneFindingPerFailure(analysed.out);
  // manifest.json and the reports are not read as evidence.
  EXPECT_EQ(analysed.out.find("\"rule\": \"gk-dialog"), std::string::npos);
  EXPECT_EQ(Slurp(bundle / "report.json").find("report.md:"), std::string::npos);
}

// `signal` arrives mid-stream: collection stops early, the bundle is finished (archive and
// report), the manifest names the signal, and the bundle reads back with the diagnosis.
void ExpectStopsMidStreamOn(CollectTest& test, int signal, const std::string& name, const std::string& out) {
  test.interrupt_signal_ = signal;
  fs::path bundle = test.dir_ / "bundle";
  Outcome run =
      test.Run({"collect", "--app", "Foo", "--duration", "60s", "--out", out}, {"STANDIN_DELAY=1"}, milliseconds(1500));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_LT(run.seconds, 30);
  size_t events = CountLines(Slurp(bundle / "events.ndjson"));
  EXPECT_GE(events, 1u);
  EXPECT_LT(events, 5u);
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete");
  EXPECT_EQ(JsonString(manifest, {"stop_reason"}), name);
  EXPECT_NE(manifest.find("stopped by tediag (" + name + ")"), std::string::npos) << manifest;
  EXPECT_TRUE(fs::exists(test.dir_ / "bundle.zip"));  // beside the folder, however --out was written
  EXPECT_EQ(JsonString(Slurp(bundle / "report.json"), {"diagnoses", "0", "class"}), "restricted-entitlements");
  Outcome analysed = test.Analyze(bundle);
  EXPECT_EQ(analysed.status, 0) << analysed.err;
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), "restricted-entitlements") << analysed.out;
}

TEST_F(CollectTest, CtrlCMidStreamLeavesABundleAnalyzeReads) {
  ExpectStopsMidStreamOn(*this, SIGINT, "Ctrl-C", (dir_ / "bundle").string() + "/");
}

TEST_F(CollectTest, SigtermMidStreamFinishesTheBundleAndNamesTheSignal) {
  ExpectStopsMidStreamOn(*this, SIGTERM, "SIGTERM", (dir_ / "bundle").string());
}

TEST_F(CollectTest, SigtermDuringTheSigningSnapshotStopsItAndSaysWhatWasSkipped) {
  // codesign takes 30 s; SIGTERM comes while it runs (once the stand-in says it started, so a slow
  // machine cannot send it before), before any log stream.
  interrupt_signal_ = SIGTERM;
  interrupt_mid_stream_ = false;
  interrupt_when_exists_ = dir_ / "codesign-started";
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "60s", "--out", bundle.string()},
                    {"STANDIN_CODESIGN_DELAY=30", "STANDIN_CODESIGN_STARTED=" + interrupt_when_exists_.string()},
                    milliseconds(200));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_LT(run.seconds, 20) << "the snapshot was not stopped";
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete");
  EXPECT_EQ(JsonString(manifest, {"stop_reason"}), "SIGTERM");
  EXPECT_NE(manifest.find("codesign-display stopped by SIGTERM; its output is partial"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("stopped because tediag was interrupted"), std::string::npos);
  EXPECT_NE(manifest.find("spctl-assess not run: SIGTERM came first"), std::string::npos);
  EXPECT_NE(manifest.find("log stream not run: SIGTERM came first"), std::string::npos);
  EXPECT_FALSE(fs::exists(bundle / "events.ndjson"));
  // What there is still reads: the folder, with its manifest and reports skipped as tediag's own
  // files. The one output left is empty, so nothing could be analysed (exit status 3), and it says so.
  Outcome analysed = Analyze(bundle);
  EXPECT_EQ(analysed.status, 3) << analysed.err;
  EXPECT_NE(analysed.err.find("codesign-display.txt: the input is empty"), std::string::npos) << analysed.err;
  EXPECT_EQ(analysed.err.find("manifest.json"), std::string::npos) << analysed.err;
}

TEST_F(CollectTest, TheAppDeletedMidRunIsNotedAndTheBundleStillDiagnoses) {
  root_ = dir_ / "root";
  fs::copy(kRoot, root_, fs::copy_options::recursive);
  fs::path app = root_ / "Applications/Foo.app";
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "10s", "--out", bundle.string()},
                    {"STANDIN_DELAY=0.2", "STANDIN_DELETE=" + app.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(fs::exists(app));
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete");
  EXPECT_NE(manifest.find("the app was no longer at " + app.string()), std::string::npos) << manifest;
  EXPECT_NE(Slurp(bundle / "signing/codesign-verify.txt").find("valid on disk"), std::string::npos);
  EXPECT_EQ(CountLines(Slurp(bundle / "events.ndjson")), 5u);
  EXPECT_EQ(JsonString(Slurp(bundle / "report.json"), {"diagnoses", "0", "class"}), "restricted-entitlements");
}

// The bundle on a 2 MiB tmpfs that `log` fills: the manifest still says what was lost (the
// space held back for it is given up), the reports are written, and what was kept reads.
TEST_F(CollectTest, AFullDiskLeavesAManifestThatSaysWhatWasLost) {
  fs::path disk = dir_ / "disk";
  fs::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=2m") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (needs root): " << std::strerror(errno);
  }
  mounted_ = disk;
  // The recorded launch, then 4 MB of ordinary chatter.
  fs::path events = dir_ / "events.ndjson";
  {
    std::ofstream out(events);
    out << Slurp(kSource / "tests/collector/fixtures/foo-launch.ndjson");
    std::string filler(900, 'x');
    for (int i = 0; i < 4000; ++i) {
      out << R"({"eventType":"logEvent","subsystem":"com.apple.cloudd","category":"sync","processID":)" << 400 + i % 7
          << R"(,"processImagePath":"\/usr\/libexec\/cloudd","timestamp":"2026-04-15 10:11:14.000000+0200",)"
          << R"("messageType":"Default","eventMessage":"sync pass )" << i << " " << filler << "\"}\n";
    }
  }
  fs::path bundle = disk / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "30s", "--out", bundle.string()},
                    {"STANDIN_DELAY=0", "STANDIN_EVENTS=" + events.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete") << manifest;
  EXPECT_NE(manifest.find("log stream: writing events.ndjson failed (write failed: No space left on device)"),
            std::string::npos)
      << manifest;
  EXPECT_NE(manifest.find("line(s) not kept in events.ndjson"), std::string::npos);
  EXPECT_FALSE(fs::exists(bundle / ".reserve"));
  size_t kept = CountLines(Slurp(bundle / "events.ndjson"));
  EXPECT_GT(kept, 5u);
  EXPECT_LT(kept, 4005u);
  // The reports fit in the space given back, and the events kept still carry the diagnosis.
  EXPECT_EQ(JsonString(Slurp(bundle / "report.json"), {"diagnoses", "0", "class"}), "restricted-entitlements");
  Outcome analysed = Analyze(bundle);
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), "restricted-entitlements") << analysed.err;
}

TEST_F(CollectTest, TediagKilledMidStreamStillLeavesAReadableBundle) {
  // Killed outright, as a crash of tediag would end it: no chance to finish the bundle.
  fs::path bundle = dir_ / "bundle";
  std::vector<std::string> argv = {"/usr/bin/env",
                                   "TEDIAG_TOOL_DIR=" + kStandins.string(),
                                   "HOME=" + (dir_ / "home").string(),
                                   "TEDIAG_ROOT=" + kRoot.string(),
                                   "STANDIN_DELAY=0.5",
                                   TEDIAG_BINARY,
                                   "collect",
                                   "--app",
                                   "Foo",
                                   "--duration",
                                   "60s",
                                   "--out",
                                   bundle.string()};
  collector::ChildProcess::Options options;
  options.capture_stderr = false;
  options.merge_stderr = false;
  absl::StatusOr<collector::ChildProcess> child = collector::ChildProcess::Start(argv, options);
  ASSERT_TRUE(child.ok());
  // Wait until events are arriving, then kill it without letting it finish.
  for (int i = 0; i < 200 && CountLines(Slurp(bundle / "events.ndjson")) < 2; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  kill(child->pid(), SIGKILL);
  child->WaitOrKill(milliseconds(5000));
  ASSERT_GE(CountLines(Slurp(bundle / "events.ndjson")), 2u);
  EXPECT_EQ(JsonString(Slurp(bundle / "manifest.json"), {"state"}), "collecting");
  EXPECT_FALSE(fs::exists(bundle / "report.json"));
  Outcome analysed = Analyze(bundle);
  EXPECT_EQ(analysed.status, 0) << analysed.err;
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), "restricted-entitlements") << analysed.out;
}

TEST_F(CollectTest, ABinaryInfoPlistNamesTheExecutable) {
  fs::path root = dir_ / "root";
  fs::path plist = root / "Applications/Bar.app/Contents/Info.plist";
  fs::create_directories(plist.parent_path());
  absl::StatusOr<collector::CommandResult> made = collector::RunCommand(
      {"/usr/bin/env", "python3", "-c",
       "import plistlib,sys; open(sys.argv[1],'wb').write(plistlib.dumps({'CFBundleExecutable':'BarHelper',"
       "'CFBundleIdentifier':'org.example.bar'}, fmt=plistlib.FMT_BINARY))",
       plist.string()},
      milliseconds(20000));
  ASSERT_TRUE(made.ok() && made->status.code == 0);
  ASSERT_EQ(Slurp(plist).substr(0, 8), "bplist00");
  Outcome run = Run({"collect", "--app", "Bar", "--print-predicate"}, {"TEDIAG_ROOT=" + root.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("OR process == \"BarHelper\" OR eventMessage CONTAINS \"org.example.bar\"\n"),
            std::string::npos)
      << run.out;
}

TEST_F(CollectTest, ACrashingLogLeavesWhatItWroteAndSaysSo) {
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "5s", "--out", bundle.string(), "--tool",
                     "log=" + (kStandins / "log-crash").string()});
  ASSERT_EQ(run.status, 0) << run.err;
  std::string events = Slurp(bundle / "events.ndjson");
  EXPECT_EQ(CountLines(events), 3u);  // two events, and the cut-off third kept as it came
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_NE(manifest.find("log stream ended early (killed by signal 11)"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("its last line was cut off"), std::string::npos);
  Outcome analysed = Analyze(bundle);
  EXPECT_EQ(analysed.status, 0);
  EXPECT_NE(analysed.out.find("JSON object is not closed; line skipped"), std::string::npos) << analysed.out;
  EXPECT_NE(analysed.out.find("re-unsatisfied-entitlements"), std::string::npos);
}

TEST_F(CollectTest, ALogThatNeverExitsIsStoppedByTheDurationWithItsChildren) {
  fs::path bundle = dir_ / "bundle";
  fs::path pidfile = dir_ / "sleep.pid";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "2s", "--out", bundle.string(), "--tool",
                     "log=" + (kStandins / "log-hang").string()},
                    {"STANDIN_PIDFILE=" + pidfile.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_LT(run.seconds, 20);
  EXPECT_EQ(JsonString(Slurp(bundle / "manifest.json"), {"stop_reason"}), "duration");
  EXPECT_EQ(CountLines(Slurp(bundle / "events.ndjson")), 1u);
  pid_t sleeper = std::stoi(Slurp(pidfile));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_NE(kill(sleeper, 0), 0) << "the stand-in's child survived";
}

TEST_F(CollectTest, GarbageFromLogIsKeptApartAndItsFailureRecorded) {
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "5s", "--out", bundle.string(), "--tool",
                     "log=" + (kStandins / "log-garbage").string()});
  ASSERT_EQ(run.status, 0) << run.err;
  std::string events = Slurp(bundle / "events.ndjson");
  EXPECT_EQ(CountLines(events), 3u);  // two events and the broken object; no banner, no escape codes
  EXPECT_EQ(events.find("\033"), std::string::npos);
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_NE(manifest.find("log stream ended early (exit status 3)"), std::string::npos);
  EXPECT_NE(manifest.find("that are not JSON, e.g.: Filtering the log data"), std::string::npos);
  EXPECT_NE(Slurp(bundle / "events-stderr.txt").find("Could not open the local store"), std::string::npos);
}

TEST_F(CollectTest, AHostileAppNameIsOnlyEverData) {
  fs::path root = dir_ / "root";
  const std::string name = "x\"; touch PWNED; rm -rf ~ #";
  fs::create_directories(root / "Applications" / (name + ".app") / "Contents/MacOS");
  fs::path argv_file = dir_ / "log-argv.txt";
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", name, "--duration", "2s", "--out", bundle.string()},
                    {"TEDIAG_ROOT=" + root.string(), "STANDIN_ARGV=" + argv_file.string(), "STANDIN_DELAY=0.05"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(fs::exists("PWNED"));
  EXPECT_FALSE(fs::exists(dir_ / "PWNED"));
  EXPECT_TRUE(fs::exists(dir_ / "home"));
  // The predicate reached `log` as one argument with the name inside one quoted literal.
  std::string argv = Slurp(argv_file);
  EXPECT_NE(argv.find(" OR process == \"x\\\"; touch PWNED; rm -rf ~ #\"\n"), std::string::npos) << argv;
  EXPECT_EQ(JsonString(Slurp(bundle / "manifest.json"), {"app", "name"}), name);
}

TEST_F(CollectTest, RedactSendsNoPlantedSecretAndKeepsTheDiagnosis) {
  // The replayed launch, plus a line from the app that gives away its user, host, e-mail and the
  // Mac's serial; the recorded crash report adds its host name (in the file name) and its
  // Anonymous UUID. A binary file among the crash reports cannot be redacted: it is left out.
  fs::path events = dir_ / "events.ndjson";
  std::ofstream(events) << Slurp(kSource / "tests/collector/fixtures/foo-launch.ndjson")
                        << R"x({"eventType":"logEvent","subsystem":"com.example.foo","category":"state",)x"
                        << R"x("timestamp":"2026-04-15 10:11:13.000000+0200","processImagePath":)x"
                        << R"x("\/Users\/jappleseed\/Applications\/Foo.app\/Contents\/MacOS\/Foo","processID":1221,)x"
                        << R"x("eventMessage":"Foo: cannot open \/Users\/jappleseed\/Library\/Foo\/state.plist on )x"
                        << R"x(jappleseeds-MacBook-Pro.local for jappleseed@example.com (IOPlatformSerialNumber = )x"
                        << R"x(\"C02XK0AAJGH5\")","messageType":"Error"})x"
                        << "\n";
  fs::create_directories(reports_);
  std::ofstream(reports_ / "Foo_2026-04-15-101200_jappleseeds-MacBook-Pro.crash", std::ios::binary)
      << std::string("\xcf\xfa\xed\xfe\x07\x00\x00\x01\0\0\0\0", 12) << "/Users/jappleseed/Foo";
  const std::vector<std::string> secrets = {"jappleseed", "C02XK0AAJGH5", "06C58642-5700-8B41-F117-09C9B6E7B0B6",
                                            "MacBook.crash"};

  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "5s", "--redact", "--out", bundle.string()},
                    {"STANDIN_DELAY=0.05", "STANDIN_EVENTS=" + events.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("ROOT CAUSE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Redacted: replaced"), std::string::npos) << run.out;
  for (const std::string& secret : secrets) EXPECT_FALSE(Contains(ToLower(run.out), ToLower(secret))) << secret;

  // The folder stays as it was written, secrets and binary file included.
  EXPECT_NE(Slurp(bundle / "events.ndjson").find("jappleseed@example.com"), std::string::npos);
  EXPECT_TRUE(fs::exists(bundle / "crash-reports/Foo_2026-04-15-101200_jappleseeds-MacBook-Pro.crash"));
  Outcome folder = Analyze(bundle);
  ASSERT_EQ(folder.status, 0) << folder.err;

  // The archive: no planted secret in any member's name or content.
  ASSERT_TRUE(fs::exists(dir_ / "bundle.zip"));
  ArchiveContents archive = ReadArchive((dir_ / "bundle.zip").string());
  ASSERT_TRUE(archive.problem.empty()) << archive.problem;
  std::string manifest, report_json, report_md, sent_events;
  for (const ArchiveMember& member : archive.members) {
    for (const std::string& secret : secrets) {
      EXPECT_FALSE(Contains(ToLower(member.name), ToLower(secret))) << member.name;
      EXPECT_FALSE(Contains(ToLower(member.data), ToLower(secret))) << secret << " in " << member.name;
    }
    if (member.name == "bundle/manifest.json") manifest = member.data;
    if (member.name == "bundle/report.json") report_json = member.data;
    if (member.name == "bundle/report.md") report_md = member.data;
    if (member.name == "bundle/events.ndjson") sent_events = member.data;
    EXPECT_FALSE(Contains(member.name, "101200")) << "the binary crash report was sent: " << member.name;
  }
  size_t in_folder = 0;
  for (const auto& entry : fs::recursive_directory_iterator(bundle)) {
    in_folder += entry.is_regular_file() && entry.path().filename().string()[0] != '.' ? 1 : 0;
  }
  EXPECT_EQ(archive.members.size(), in_folder - 1);  // every file but the binary one
  // Redacted, not dropped: the line is there with placeholders (the same user in every file).
  EXPECT_NE(sent_events.find(R"(cannot open \/Users\/<user-1>\/Library\/Foo\/state.plist)"), std::string::npos)
      << sent_events;
  EXPECT_NE(sent_events.find("<email-1>"), std::string::npos);
  EXPECT_NE(sent_events.find("<serial-1>"), std::string::npos);

  // The manifest says it was redacted, what was replaced, and what was left out.
  simdjson::dom::parser parser;
  simdjson::dom::element redaction;
  ASSERT_EQ(parser.parse(manifest).get(redaction), simdjson::SUCCESS) << manifest;
  ASSERT_EQ(redaction["redaction"].get(redaction), simdjson::SUCCESS) << manifest;
  EXPECT_TRUE(bool(redaction["applied"])) << manifest;
  std::vector<std::string> kinds;
  for (simdjson::dom::element count : simdjson::dom::array(redaction["replaced"])) {
    std::string kind{std::string_view(count["kind"])};
    EXPECT_EQ(std::string_view(count["placeholder"]), StrCat("<", kind, "-N>"));
    EXPECT_GT(uint64_t(count["occurrences"]), 0u) << kind;
    kinds.push_back(kind);
  }
  ASSERT_FALSE(kinds.empty()) << manifest;
  EXPECT_EQ(kinds.front(), "user") << manifest;
  for (const char* kind : {"host", "email", "serial", "machine-uuid"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << kind << " in " << manifest;
  }
  simdjson::dom::array left_out = redaction["left_out"];
  ASSERT_EQ(left_out.size(), 1u) << manifest;
  std::string_view binary = left_out.at(0);
  EXPECT_TRUE(binary.starts_with("crash-reports/Foo_2026-04-15-101200__host-")) << manifest;
  EXPECT_NE(binary.find("(a Mach-O"), std::string::npos) << manifest;
  EXPECT_EQ(JsonString(manifest, {"state"}), "complete");

  // The same diagnosis: in the sent report, when support analyses the archive, and in the folder.
  EXPECT_EQ(JsonString(report_json, {"diagnoses", "0", "class"}), "restricted-entitlements");
  EXPECT_NE(report_md.find("Redacted: replaced"), std::string::npos) << report_md;
  Outcome analysed = Analyze(dir_ / "bundle.zip");
  EXPECT_EQ(analysed.status, 0) << analysed.err;
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), "restricted-entitlements");
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "class"}), JsonString(folder.out, {"diagnoses", "0", "class"}));
  EXPECT_EQ(JsonString(analysed.out, {"diagnoses", "0", "rule"}), JsonString(folder.out, {"diagnoses", "0", "rule"}));
}

TEST_F(CollectTest, PrintPredicateShowsTheRuleSourcesAndTheApp) {
  Outcome run = Run({"collect", "--app", "Foo", "--print-predicate"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("sender == \"AppleMobileFileIntegrity\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("process == \"taskgated-helper\""), std::string::npos);
  EXPECT_NE(run.out.find("subsystem == \"com.apple.TCC\""), std::string::npos);
  EXPECT_NE(run.out.find("OR process == \"Foo\" OR eventMessage CONTAINS \"com.example.foo\"\n"), std::string::npos);
  EXPECT_EQ(CountLines(run.out), 1u);
}

TEST_F(CollectTest, LaunchRunsTheExecutableWhenOpenFailsAndStopsWhenItExits) {
  fs::path bundle = dir_ / "bundle";
  Outcome run = Run({"collect", "--app", "com.example.foo", "--launch", "--duration", "20s", "--out", bundle.string()},
                    {"STANDIN_DELAY=3"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("found by bundle ID via Spotlight (mdfind)"), std::string::npos) << run.err;
  EXPECT_LT(run.seconds, 12);  // the replay would last 15s; the app's exit ended it
  EXPECT_NE(Slurp(bundle / "launch/open.txt").find("NSPOSIXErrorDomain Code=163"), std::string::npos);
  EXPECT_EQ(Slurp(bundle / "launch/executable.txt"), "Foo: starting\n");
  std::string manifest = Slurp(bundle / "manifest.json");
  EXPECT_EQ(JsonString(manifest, {"stop_reason"}), "app exited");
  EXPECT_NE(manifest.find("\"outcome\": \"killed by signal 9\""), std::string::npos);
  EXPECT_NE(Slurp(bundle / "report.json").find("re-launch-failed-163"), std::string::npos);
}

TEST_F(CollectTest, OnATerminalItCountsEventsAsTheyArrive) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "needs script(1) for a pseudo-terminal";
  fs::path typescript = dir_ / "typescript";
  // script(1) gives tediag a terminal; its command line is fixed text with quoted paths.
  std::string command = "'" + std::string(TEDIAG_BINARY) + "' collect --app Foo --duration 5s --out '" +
                        (dir_ / "bundle").string() + "' > /dev/null";
  absl::StatusOr<collector::CommandResult> result = collector::RunCommand(
      {"/usr/bin/env", "TEDIAG_TOOL_DIR=" + kStandins.string(), "HOME=" + (dir_ / "home").string(),
       "TEDIAG_ROOT=" + kRoot.string(), "STANDIN_DELAY=0.2", "/usr/bin/script", "-qc", command, typescript.string()},
      std::chrono::seconds(60));
  ASSERT_TRUE(result.ok());
  std::string screen = Slurp(typescript);
  EXPECT_NE(screen.find("\r  5 events recorded, 5 relevant (matched by a rule)"), std::string::npos) << screen;
}

TEST_F(CollectTest, UnknownAppIsNamedWithWhereItLooked) {
  Outcome run = Run({"collect", "--app", "NoSuchApp", "--duration", "2s", "--out", (dir_ / "b").string()});
  EXPECT_EQ(run.status, 4);
  EXPECT_NE(run.err.find("no app named 'NoSuchApp' in " + (kRoot / "Applications").string()), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(dir_ / "b"));
}

TEST_F(CollectTest, WithoutAMacOrStandInsItPointsToAnalyze) {
#ifdef __APPLE__
  GTEST_SKIP() << "on a Mac, collect runs for real";
#endif
  Outcome run = Run({"collect", "--app", "Foo", "--duration", "2s"}, {}, std::nullopt, /*standins=*/false);
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("this needs macOS"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("tediag analyze BUNDLE.zip"), std::string::npos);
}

}  // namespace
}  // namespace tediag
