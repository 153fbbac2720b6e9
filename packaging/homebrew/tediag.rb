# Homebrew formula for tediag (`brew install --formula packaging/homebrew/tediag.rb`, or copied
# into a tap as Formula/tediag.rb). It has NOT been run on a Mac: no Mac was available. It is
# checked with `ruby -c` and against scripts/setup's Homebrew list by the test suite
# (tests/packaging/homebrew_formula_test.sh), and written to brew's formula conventions.
# A release fills in `url` and `sha256` for its source tarball.
class Tediag < Formula
  desc "Find why a Mac app will not launch, from its logs and crash reports"
  homepage "https://github.com/tediag/tediag"
  url "https://github.com/tediag/tediag/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  head "https://github.com/tediag/tediag.git", branch: "main"

  depends_on "cli11" => :build
  depends_on "cmake" => :build
  depends_on "help2man" => :build
  depends_on "ninja" => :build
  depends_on "pkg-config" => :build
  depends_on "abseil"
  depends_on "fmt"
  depends_on "libarchive"
  depends_on "lz4"
  depends_on "openssl@3"
  depends_on "re2"
  depends_on "simdjson"
  depends_on "yaml-cpp"

  def install
    # The program alone (no tests, benchmarks or fuzz entry points); a tarball has no git
    # history, so --version names the release tag as its commit.
    system "cmake", "-S", ".", "-B", "build", "-G", "Ninja", "-DTEDIAG_BUILD_TESTS=OFF",
           "-DTEDIAG_GIT_COMMIT=v#{version}", *std_cmake_args
    system "cmake", "--build", "build", "--target", "cli"
    # bin/tediag, the man pages (share/man/man1), the completions in the places brew links
    # (share/bash-completion/completions, share/zsh/site-functions, share/fish/vendor_completions.d)
    # and the rules README (share/doc/tediag).
    system "cmake", "--install", "build"
    # The bundled samples are links into the corpus: install the files they point at.
    Dir["corpora/samples/*"].each do |sample|
      (pkgshare/"samples").install File.realpath(sample) => File.basename(sample)
    end
  end

  test do
    report = shell_output("#{bin}/tediag analyze --format json #{pkgshare}/samples/SiriKali.crash")
    assert_match "code-signature-invalid", report
    assert_match "tediag #{version}", shell_output("#{bin}/tediag --version")
    assert_match "complete -F _tediag tediag", shell_output("#{bin}/tediag completions bash")
    assert_path_exists man1/"tediag.1"
  end
end
