#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "util/text_util.h"

extern char** environ;

namespace tediag::collector {
namespace {

// A pipe whose ends are closed on exec (the child keeps only what dup2 gives it); the read end
// is non-blocking for the parent's poll loop.
bool MakePipe(int fds[2]) {
  if (pipe(fds) != 0) return false;
  for (int i = 0; i < 2; ++i) fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return true;
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

ExitStatus FromWaitStatus(int status) {
  ExitStatus out;
  if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
    out.code = 128 + out.signal;
  }
  return out;
}

// Owns the spawn attributes and file actions for one posix_spawn call.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

std::string ExitStatus::Describe() const {
  if (signal != 0) return StrCat("killed by signal ", signal);
  if (code < 0) return "did not run";
  return StrCat("exit status ", code);
}

absl::StatusOr<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') {
    return absl::InvalidArgumentError(StrCat("not an absolute tool path: '", argv.empty() ? "" : argv[0], "'"));
  }
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (!MakePipe(out)) return absl::InternalError(StrCat("pipe: ", std::strerror(errno)));
  const bool separate_err = !options.merge_stderr && options.capture_stderr;
  if (separate_err && !MakePipe(err)) {
    CloseFd(out[0]);
    CloseFd(out[1]);
    return absl::InternalError(StrCat("pipe: ", std::strerror(errno)));
  }

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out[1], STDOUT_FILENO);
  if (options.merge_stderr) {
    posix_spawn_file_actions_adddup2(&setup.actions, out[1], STDERR_FILENO);
  } else if (separate_err) {
    posix_spawn_file_actions_adddup2(&setup.actions, err[1], STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&setup.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  // Its own process group (so Ctrl-C at the terminal reaches tediag only, and stopping the
  // child stops its children too), default signal handling and an empty signal mask.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attr, args.data(), environ);
  CloseFd(out[1]);
  CloseFd(err[1]);
  if (rc != 0) {
    CloseFd(out[0]);
    CloseFd(err[0]);
    return absl::UnavailableError(StrCat("cannot run ", argv[0], ": ", std::strerror(rc)));
  }
  ChildProcess child;
  child.pid_ = pid;
  child.out_fd_ = out[0];
  child.err_fd_ = err[0];
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { *this = std::move(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    pid_ = other.pid_;
    out_fd_ = other.out_fd_;
    err_fd_ = other.err_fd_;
    status_ = other.status_;
    other.pid_ = -1;
    other.out_fd_ = other.err_fd_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) WaitOrKill(std::chrono::milliseconds(0));
  CloseFd(out_fd_);
  CloseFd(err_fd_);
}

void ChildProcess::CloseStdout() { CloseFd(out_fd_); }
void ChildProcess::CloseStderr() { CloseFd(err_fd_); }

void ChildProcess::SignalGroup(int signal) {
  if (pid_ <= 0) return;
  // The group may outlive its leader (a child that forked); signal it whether or not the
  // leader has been reaped.
  if (kill(-pid_, signal) != 0 && !status_) kill(pid_, signal);
}

std::optional<ExitStatus> ChildProcess::Poll() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  pid_t rc = waitpid(pid_, &status, WNOHANG);
  if (rc == pid_) status_ = FromWaitStatus(status);
  return status_;
}

ExitStatus ChildProcess::WaitOrKill(std::chrono::milliseconds grace) {
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!Poll()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      SignalGroup(SIGKILL);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      status_ = FromWaitStatus(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Anything the child started in its group goes with it.
  SignalGroup(SIGKILL);
  return *status_;
}

bool ReadAvailable(int fd, std::string& out) {
  char buffer[16384];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                         bool merge_stderr, const std::function<bool()>& cancelled) {
  ChildProcess::Options options;
  options.merge_stderr = merge_stderr;
  absl::StatusOr<ChildProcess> child = ChildProcess::Start(argv, options);
  if (!child.ok()) return child.status();
  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (child->stdout_fd() >= 0 || child->stderr_fd() >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    if (cancelled && cancelled()) {
      result.cancelled = true;
      child->SignalGroup(SIGTERM);
      break;
    }
    pollfd fds[2] = {{child->stdout_fd(), POLLIN, 0}, {child->stderr_fd(), POLLIN, 0}};
    int rc = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 200)));
    if (rc < 0 && errno != EINTR) break;
    if (child->stdout_fd() >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !ReadAvailable(child->stdout_fd(), result.output)) {
      child->CloseStdout();
    }
    if (child->stderr_fd() >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !ReadAvailable(child->stderr_fd(), result.errors)) {
      child->CloseStderr();
    }
  }
  using std::chrono::milliseconds;
  result.status = child->WaitOrKill(result.timed_out   ? milliseconds(0)
                                    : result.cancelled ? milliseconds(2000)
                                                       : timeout);
  return result;
}

}  // namespace tediag::collector
