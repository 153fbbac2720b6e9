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
# The commit shown is this checkout's HEAD or, in a build not yet redone since the last commit, one
# of its ancestors: never a commit the repository does not have.
if git -C "$SOURCE" rev-parse --git-dir >/dev/null 2>&1; then
  shown=$(sed -n 's/^commit  *\([0-9a-f]*\) .*/\1/p' <<<"$out")
  [ -n "$shown" ] || fail "no commit line"
  git -C "$SOURCE" merge-base --is-ancestor "$shown" HEAD || fail "commit $shown is not HEAD or an ancestor of it"
fi
grep -qE "^built  *with [A-Za-z]+ [0-9.]+ on " <<<"$out" || fail "no compiler and OS line"
