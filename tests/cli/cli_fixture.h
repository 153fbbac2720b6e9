// The fixture of the CLI tests: runs the built `tediag` binary as a user would, in a shell, with
// standard input from a file (so it is never a terminal), and returns exit status and output.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.h"

namespace tediag::testing {

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ScratchDir("cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `args` is shell text: tests pass only fixed, quoted paths. With `cwd`, tediag runs there;
  // `env` is prepended as shell assignments ("TEDIAG_RULES='…'"). NO_COLOR=1 unless `env`
  // says otherwise, and TEDIAG_RULES is unset unless `env` sets it.
  Outcome Tediag(const std::string& args, const std::string& stdin_text = "", const std::filesystem::path& cwd = {},
                 const std::string& env = "NO_COLOR=1") {
    std::filesystem::path in = dir_ / "stdin", out = dir_ / "stdout", err = dir_ / "stderr";
    std::ofstream(in) << stdin_text;
    std::string cd = cwd.empty() ? "" : "cd '" + cwd.string() + "' && ";
    std::string command = cd + "unset TEDIAG_RULES NO_COLOR; " + env + " '" + std::string(TEDIAG_BINARY) + "' " + args +
                          " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, Slurp(out), Slurp(err)};
  }
  std::string Corpus(const std::string& relative) {
    return "'" + (std::filesystem::path(TEDIAG_SOURCE_DIR) / "corpora" / relative).string() + "'";
  }
  std::string Quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }
  void Write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::filesystem::path dir_;
};

}  // namespace tediag::testing
