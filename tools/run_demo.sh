#!/usr/bin/env bash
# The main job on a fresh machine: make the environment (tools/setup_env.sh), then run the visft_mm demo on
# bundled synthetic data.  Outputs go to work_dirs/demo/.  Extra arguments go to tools/demo.py.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/setup_env.sh
source "$ROOT/tools/setup_env.sh"
cd "$ROOT"
exec "$PY" tools/demo.py "$@"
