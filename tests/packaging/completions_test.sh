#!/usr/bin/env bash
# The bash completion, sourced in a real bash and driven as readline would (COMP_WORDS,
# COMP_CWORD, then the function `complete -p` names): what `tediag an<TAB>` and
# `tediag analyze --format <TAB>` offer, option values, folders for --rules. The zsh and fish
# scripts must at least parse in their shells.
. "$(dirname "$0")/common.sh"
TEDIAG=$BUILD/tediag
"$TEDIAG" completions bash >"$SCRATCH/tediag.bash"
mkdir -p "$SCRATCH/cwd/rules-mine" && touch "$SCRATCH/cwd/rules-file.yaml"

offered() {  # offered WORD... : what completing the last word offers, sorted, one line
  (cd "$SCRATCH/cwd" && bash --norc --noprofile -c '
    source "$1"; shift
    spec=$(complete -p tediag) || exit 1
    function=${spec#*-F }; function=${function%% *}
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    "$function" tediag "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' bash "$SCRATCH/tediag.bash" "$@")
}
expect() {  # expect "OFFERED" WORD...
  local want=$1; shift
  local got; got=$(offered "$@")
  [ "$got" = "$want" ] || fail "tediag ${*:2}<TAB> offers '$got', expected '$want'"
}
expect "analyze " tediag an
expect "analyze collect completions help inspect rules " tediag ""
# The --format choices are those --help lists (the writer registry's names).
formats=$("$TEDIAG" analyze --help | sed -n 's/.*--format TEXT:{\([^}]*\)}.*/\1/p' | tr ',' '\n' | sort | tr '\n' ' ')
[ -n "$formats" ] || fail "analyze --help lists no --format choices"
expect "$formats" tediag analyze --format ""
expect "markdown " tediag analyze --format = mar
expect "warning " tediag analyze --fail-on w
expect "--fail-on --format " tediag analyze --f
expect "check list show test " tediag rules ""
expect "rules-file.yaml rules-mine " tediag analyze --rules rules-  # --rules PATH: a rule file or a folder
expect "rules-file.yaml rules-mine " tediag analyze rules-
expect "bash fish zsh " tediag completions ""
# After a value, the command's positionals again (files), not the option's choices.
expect "rules-file.yaml rules-mine " tediag analyze --format json rules-

"$TEDIAG" completions zsh >"$SCRATCH/_tediag"
zsh -n "$SCRATCH/_tediag" || fail "the zsh completion does not parse"
"$TEDIAG" completions fish >"$SCRATCH/tediag.fish"
fish --no-execute "$SCRATCH/tediag.fish" || fail "the fish completion does not parse"
grep -q "^complete -c tediag -n '__fish_seen_subcommand_from analyze' -l format -x -a '" "$SCRATCH/tediag.fish" ||
  fail "the fish completion has no --format choices"
echo "completions: bash offers what was expected; zsh and fish parse"
