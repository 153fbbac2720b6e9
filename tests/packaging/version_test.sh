#!/usr/bin/env bash
# --version: the version, the commit of the checkout, the number of embedded rules as
# `rules list` counts them, the digest of rules/*.yaml as sha256sum computes it, the compiler.
. "$(dirname "$0")/common.sh"
TEDIAG=$BUILD/tediag
out=$("$TEDIAG" --version)
echo "$out"
version=$(sed -n 's/^project(tediag VERSION \([0-9.]*\).*/\1/p' "$SOURCE/CMakeLists.txt")
grep -qx "tediag $version" <<<"$out" || fail "no 'tediag $version' line"
rules=$(($("$TEDIAG" rules list | wc -l) - 1))
grep -q "^rules  *$rules embedded rules from $(ls "$SOURCE"/rules/*.yaml | wc -l) files" <<<"$out" ||
  fail "the rule count is not $rules"
digest=$(cd "$SOURCE/rules" && LC_ALL=C sha256sum *.yaml | sha256sum | cut -d' ' -f1)
grep -q "sha256 $digest\$" <<<"$out" || fail "the rules digest is not $digest"
if commit=$(git -C "$SOURCE" log -1 --format=%h 2>/dev/null); then
  grep -q "^commit  *$commit " <<<"$out" || fail "the commit is not $commit (configure again after a commit?)"
fi
grep -qE "^built  *with [A-Za-z]+ [0-9.]+ on " <<<"$out" || fail "no compiler and OS line"
