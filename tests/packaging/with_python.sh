#!/usr/bin/env bash
# with_python.sh MODULE SCRIPT ARGS...: runs SCRIPT with the first Python 3 that imports MODULE.
# The Debian packages scripts/setup installs (python3-distributed, python3-jsonschema) belong to
# the system's /usr/bin/python3, which another python3 earlier on PATH (pyenv, a venv) lacks.
set -euo pipefail
module=$1
shift
for python in python3 /usr/bin/python3 /opt/homebrew/bin/python3 /usr/local/bin/python3; do
  if command -v "$python" >/dev/null && "$python" -c "import $module" 2>/dev/null; then
    exec "$python" "$@"
  fi
done
echo "FAIL: no Python 3 here imports $module (scripts/setup installs it)" >&2
exit 1
