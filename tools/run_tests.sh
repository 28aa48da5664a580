#!/usr/bin/env bash
# The CPU test suite: makes the environment on first use (tools/setup_env.sh), then runs every test not marked
# slow.  Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -m slow` or `... tests/test_models`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/setup_env.sh
source "$ROOT/tools/setup_env.sh"
cd "$ROOT"
if [ $# -eq 0 ]; then set -- -m "not slow"; fi
exec "$PY" -m pytest -p no:cacheprovider "$@"
