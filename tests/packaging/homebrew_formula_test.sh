#!/usr/bin/env bash
# The Homebrew formula parses as Ruby (ruby -c) and asks brew for every library tediag links:
# each package of scripts/setup's Homebrew list that the build needs is a dependency, and the
# formula asks for nothing the list lacks. (brew itself is not here: it has never run on a Mac.)
. "$(dirname "$0")/common.sh"
formula=$SOURCE/packaging/homebrew/tediag.rb
ruby -c "$formula" >/dev/null || fail "ruby -c $formula"
brew_list=$(sed -n '/^install_macos()/,/^}/p' "$SOURCE/scripts/setup" | sed -n '/wanted=(/,/)/p' |
            tr -d '()' | sed 's/local wanted=//' | tr ' ' '\n' | grep -v '^$' | sort -u)
depends=$(sed -n 's/^ *depends_on "\([^"]*\)".*/\1/p' "$formula" | sort -u)
for lib in re2 simdjson fmt cli11 abseil yaml-cpp libarchive openssl@3 lz4 cmake help2man; do
  grep -qx "$lib" <<<"$depends" || fail "the formula does not depend on $lib"
done
for dep in $depends; do
  grep -qx "$dep" <<<"$brew_list" || fail "the formula depends on $dep, which scripts/setup's Homebrew list lacks"
done
grep -q 'test do' "$formula" || fail "no test do block"
echo "formula: ruby -c passes; $(wc -w <<<"$depends") dependencies, all in scripts/setup's Homebrew list"
