# Shared by the packaging tests: fail() with a message, a scratch folder removed on exit, and
# the repository (SOURCE) and build (BUILD) folders from the arguments every test gets.
set -euo pipefail
SOURCE=$1
BUILD=$2
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/tediag-packaging.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Runs an installed tediag on the bundled samples: one diagnosis per sample file is expected.
check_samples() {
  local tediag=$1 out status=0
  out=$("$tediag" analyze --format json "$SOURCE/corpora/samples") || status=$?
  [ "$status" -eq 0 ] || fail "$tediag analyze corpora/samples exited $status"
  python3 - "$out" <<'PY' || fail "$tediag analyze corpora/samples: no diagnosis in its JSON report"
import json, sys
report = json.loads(sys.argv[1])
assert report["diagnoses"], "no diagnosis"
assert all(i["readable"] for i in report["inputs"]), "an input not read"
print(f"samples: {len(report['inputs'])} inputs, {len(report['diagnoses'])} diagnoses")
PY
}
