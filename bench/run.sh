#!/usr/bin/env bash
# Times tediag against the alternatives on the same generated inputs and prints one table.
#   bench/run.sh [SIZE_MB]        (default 200; needs a build: scripts/setup)
# Columns: wall time (best of 3), throughput, ratio to the simdjson floor, peak RSS.
# ripgrep and jq are used when installed (apt-get install ripgrep jq; brew install ripgrep jq);
# both run on a 2 MB slice of the same file and their rate is extrapolated (said in the row):
# with the rules' ~70 patterns they manage well under 1 MB/s. Then crash reports per second,
# start-up time, and (when built) build/bench/micro's figures for the hot pieces.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
work=${TEDIAG_BENCH_DIR:-/tmp/tediag-bench}
mkdir -p "$work"
tediag=build/tediag
floor=build/bench/simdjson_pass
[ -x "$tediag" ] && [ -x "$floor" ] || { echo "bench: build first (scripts/setup)" >&2; exit 2; }
cores=$( (command -v nproc >/dev/null && nproc) || sysctl -n hw.ncpu)

ndjson="$work/system-$size.ndjson"
big="$work/system-$((size * 10)).ndjson"
text="$work/system-$size.log"
ips="$work/ips-2000"
[ -f "$ndjson" ] || python3 bench/generate.py ndjson "$size" "$ndjson"
[ -f "$text" ] || python3 bench/generate.py default "$size" "$text"
[ -d "$ips" ] || python3 bench/generate.py ips 2000 "$ips"
[ -f "$big" ] || python3 bench/generate.py ndjson "$((size * 10))" "$big"
slice="$work/slice-2.ndjson"
[ -f "$slice" ] || { head -c 2000000 "$ndjson" | head -n -1 > "$slice"; }

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
bytes() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
rate_of() { awk "BEGIN{r = $(bytes "$1") / 1048576 / ($2 > 0 ? $2 : 0.001); printf (r < 10 ? \"%.2f\" : \"%.0f\"), r}"; }  # MB/s

printf '%-52s %8s %9s %9s %10s\n' "what" "seconds" "MB/s" "vs floor" "peak RSS"
row() {  # name, input, seconds, rss KB
  local rate; rate=$(rate_of "$2" "$3")
  printf '%-52s %8s %9s %8s%% %7s MB\n' "$1" "$3" "$rate" "$(awk "BEGIN{r = 100 * $rate / $floor_rate; printf (r < 1 ? \"%.2f\" : \"%.0f\"), r}")" "$(( $4 / 1024 ))"
}

read -r floor_s floor_rss < <(measure "$floor" "$ndjson")
floor_rate=$(rate_of "$ndjson" "$floor_s")
row "simdjson On-Demand pass (floor), $((size)) MB ndjson" "$ndjson" "$floor_s" "$floor_rss"
read -r t1 r < <(measure "$tediag" analyze --threads 1 --format json "$ndjson")
row "tediag analyze, ndjson, 1 thread" "$ndjson" "$t1" "$r"
read -r t r < <(measure "$tediag" analyze --threads "$cores" --format json "$ndjson")
row "tediag analyze, ndjson, $cores threads" "$ndjson" "$t" "$r"
read -r t r < <(measure "$tediag" analyze --threads "$cores" --format json "$big")
row "tediag analyze, ndjson 10x larger, $cores threads" "$big" "$t" "$r"
read -r t r < <(measure "$tediag" analyze --threads 1 --format json "$text")
row "tediag analyze, default style, 1 thread" "$text" "$t" "$r"
read -r t r < <(measure "$tediag" analyze --threads "$cores" --format json "$text")
row "tediag analyze, default style, $cores threads" "$text" "$t" "$r"

# The same message patterns, unstructured, through the raw text (named groups made plain;
# the multi-line spctl patterns and the "." of a field-combining rule left out).
sed -n "s/^ *\(- \)\?message: '\(.*\)'$/\2/p" rules/*.yaml | sed "s/''/'/g; s/(?P<[a-z_0-9]*>/(/g" |
  grep -vx '\.' | grep -vF '\n' > "$work/patterns.txt"
if command -v rg >/dev/null; then
  read -r t r < <(measure rg -c -f "$work/patterns.txt" "$slice")
  row "ripgrep -f <$(wc -l < "$work/patterns.txt") rule patterns> (2 MB slice)" "$slice" "$t" "$r"
else
  echo "ripgrep: not installed, skipped"
fi
if command -v jq >/dev/null; then
  # jq's regex library has no (?m) and writes named groups (?<x>); the patterns joined as one.
  joined=$(sed 's/(?m)//g' "$work/patterns.txt" | paste -sd'|')
  read -r t r < <(measure jq -c --arg re "$joined" 'select(.eventMessage | test($re))' "$slice")
  row "jq select(test(<the same patterns>)) (2 MB slice)" "$slice" "$t" "$r"
else
  echo "jq: not installed, skipped"
fi

# A real unified log archive read in place (macOS 12.6.3, plaso PR #4557), when ../shared has it:
# records per second and MB/s of its tracev3 files (the uuidtext files it reads are not counted).
aul="${TEDIAG_UNIFIED_LOG_DATA:-../shared/data/unified-logging}/plaso-macos-12.6.3/private/var/db"
if [ -d "$aul" ]; then
  tv3=$(find "$aul/Diagnostics" -name '*.tracev3' -exec cat {} + | wc -c)
  n=$("$tediag" analyze --format json "$aul" | python3 -c 'import json,sys; print(sum(i["records"] for i in json.load(sys.stdin)["inputs"]))')
  for threads in 1 0; do  # one thread, then one per core (a tracev3 file per thread)
    read -r t r < <(measure "$tediag" analyze --threads "$threads" --format json "$aul")
    echo "logarchive (macOS 12.6.3, $n records, $((tv3 / 1024)) KiB of tracev3, --threads $threads): ${t} s = $(awk "BEGIN{printf \"%.0f\", $n / ($t > 0 ? $t : 0.001)}") records/s, $(awk "BEGIN{printf \"%.1f\", $tv3 / 1048576 / ($t > 0 ? $t : 0.001)}") MB/s of tracev3, peak RSS $(( r / 1024 )) MB"
  done
else
  echo "logarchive: $aul absent, skipped"
fi

read -r t r < <(measure "$tediag" analyze --format json "$ips")
echo "crash reports: 2000 .ips in ${t} s = $(awk "BEGIN{printf \"%.0f\", 2000 / ($t > 0 ? $t : 0.001)}") reports/s ($cores threads), peak RSS $(( r / 1024 )) MB"
: > "$work/empty"
start=$(date +%s%N); for _ in $(seq 20); do "$tediag" analyze "$work/empty" >/dev/null; done; end=$(date +%s%N)
echo "start-up with the embedded rules (empty input): $(awk "BEGIN{printf \"%.1f\", ($end - $start) / 20000000}") ms per run"
echo "machine: $cores cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"

# The hot pieces on their own, on the first 32 MB of the same file (Google Benchmark; built when
# libbenchmark is installed).
if [ -x build/bench/micro ]; then
  echo
  build/bench/micro "$ndjson" --benchmark_min_time=1 2>&1 | grep -v 'Library was built as DEBUG'
fi
