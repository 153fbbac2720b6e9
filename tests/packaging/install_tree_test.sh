#!/usr/bin/env bash
# `cmake --install` into a scratch prefix: every file is where the shells and man look for it,
# the installed binary diagnoses corpora/samples, the man pages lint clean and name every option
# of the --help they were made from.
. "$(dirname "$0")/common.sh"
prefix=$SCRATCH/prefix
cmake --install "$BUILD" --prefix "$prefix" >"$SCRATCH/install.log" 2>&1 || { cat "$SCRATCH/install.log"; fail "cmake --install"; }
for file in bin/tediag share/man/man1/tediag.1 share/man/man1/tediag-analyze.1 share/man/man1/tediag-rules.1 \
            share/man/man1/tediag-collect.1 share/man/man1/tediag-completions.1 share/man/man1/tediag-inspect.1 \
            share/bash-completion/completions/tediag share/zsh/site-functions/_tediag \
            share/fish/vendor_completions.d/tediag.fish share/doc/tediag/rules/README.md; do
  [ -s "$prefix/$file" ] || fail "not installed: $file"
done
check_samples "$prefix/bin/tediag"

man_dir=$prefix/share/man/man1
for page in "$man_dir"/*.1; do
  # groff's own warnings (what man shows), then mandoc's structural errors.
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l $page"
  [ -z "$warnings" ] || fail "man --warnings on $page: $warnings"
  mandoc -T lint -W error "$page" || fail "mandoc -T lint: errors in $page"
done
# The page of each subcommand lists every option its --help lists.
for sub in analyze collect rules completions inspect; do
  rendered=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$man_dir/tediag-$sub.1" | sed 's/\xe2\x80\x90/-/g')
  for option in $("$prefix/bin/tediag" "$sub" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    grep -qF -- "$option" <<<"$rendered" || fail "tediag-$sub(1) does not show $option"
  done
done
LC_ALL=C.UTF-8 MANPATH=$prefix/share/man man -w tediag >/dev/null || fail "man -w tediag under MANPATH"
echo "installed tree: $(find "$prefix" -type f | wc -l) files, man pages lint clean"
