#!/usr/bin/env bash
# Times tediag against the alternatives on the same generated inputs and prints one table.
#   bench/run.sh [SIZE_MB]        (default 200; needs a build: scripts/setup)
# Columns: wall time (best of 3), throughput, ratio to the simdjson floor, peak RSS.
# ripgrep and jq are used when installed (apt-get install ripgrep jq; brew install ripgrep jq).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
work=${TEDIAG_BENCH_DIR:-/tmp/tediag-bench}
mkdir -p "$work"
tediag=build/tediag
floor=build/bench/simdjson_pass
[ -x "$tediag" ] && [ -x "$floor" ] || { echo "bench: build first (scripts/setup)" >&2; exit 2; }

ndjson="$work/system-$size.ndjson"
text="$work/system-$size.log"
ips="$work/ips-2000"
[ -f "$ndjson" ] || python3 bench/generate.py ndjson "$size" "$ndjson"
[ -f "$text" ] || python3 bench/generate.py default "$size" "$text"
[ -d "$ips" ] || python3 bench/generate.py ips 2000 "$ips"

# best-of-3 wall seconds and peak RSS (KB) of a command
measure() {
  local best="" rss=0 t m
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "$work/time")  # a failing command adds a line before the figures
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  echo "$best $rss"
}
mb() { awk "BEGIN{printf \"%.1f\", $(stat -c %s "$1") / 1048576}"; }

printf '%-44s %9s %10s %9s %10s\n' "what" "seconds" "MB/s" "vs floor" "peak RSS"
row() {  # name, bytes file, seconds, rss, floor seconds
  local rate; rate=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$2") / 1048576 / ($3 > 0 ? $3 : 0.001)}")
  local ratio="-"; [ -n "${5:-}" ] && ratio=$(awk "BEGIN{printf \"%.0f%%\", 100 * $5 / $3}")
  printf '%-44s %9s %10s %9s %8s MB\n' "$1" "$3" "$rate" "$ratio" "$(( $4 / 1024 ))"
}

read -r floor_s floor_rss < <(measure "$floor" "$ndjson")
row "simdjson On-Demand pass (floor), $(mb "$ndjson") MB" "$ndjson" "$floor_s" "$floor_rss"
read -r t r < <(measure "$tediag" analyze --format json "$ndjson")
row "tediag analyze, ndjson, 1 thread" "$ndjson" "$t" "$r" "$floor_s"
read -r t r < <(measure "$tediag" analyze --format json "$text")
row "tediag analyze, default style" "$text" "$t" "$r" "$floor_s"

if command -v rg >/dev/null; then
  # The same message patterns, unstructured, through the raw text.
  # (named groups made plain: ripgrep joins the patterns into one regex; "." matches everything)
  sed -n "s/^ *\(- \)\?message: '\(.*\)'$/\2/p" rules/*.yaml | sed "s/''/'/g; s/(?P<[a-z_0-9]*>/(/g" |
    grep -vx '\.' | grep -vF '\n' > "$work/patterns.txt"  # (multi-line spctl patterns left out)
  read -r t r < <(measure rg -c -f "$work/patterns.txt" "$ndjson")
  row "ripgrep -f <rule message patterns>" "$ndjson" "$t" "$r" "$floor_s"
else
  echo "ripgrep: not installed, skipped"
fi
if command -v jq >/dev/null; then
  head -c 20000000 "$ndjson" | head -n -1 > "$work/slice.ndjson"
  read -r t r < <(measure jq -c 'select(.eventMessage | test("ASP: Security policy|CODE SIGNING|forbidden-sandbox-reinit|kTCCService|Unsatisfied entitlements|-413|Launch Constraint|malware"))' "$work/slice.ndjson")
  row "jq select (20 MB slice; MB/s extrapolates)" "$work/slice.ndjson" "$t" "$r"
else
  echo "jq: not installed, skipped"
fi

read -r t r < <(measure "$tediag" analyze --format json "$ips")
echo "crash reports: 2000 .ips in ${t} s = $(awk "BEGIN{printf \"%.0f\", 2000 / ($t > 0 ? $t : 0.001)}") reports/s, peak RSS $(( r / 1024 )) MB"
: > "$work/empty"
start=$(date +%s%N); for _ in $(seq 20); do "$tediag" analyze "$work/empty" >/dev/null; done; end=$(date +%s%N)
echo "start-up with the embedded rules (empty input): $(( (end - start) / 20000000 )) ms per run"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
