#!/usr/bin/env bash
# One-GPU check of the stage-2 backbone step (eva-g, eva-e; bf16; checkpointing; reference resolutions): see
# tools/analysis_tools/gpu_check.py for what it measures and what it leaves out.  Under 8 minutes on one H100 / H200.
#
# On a machine with PyPI, fill a wheelhouse for the GPU machine's Python (3.12 here) and carry it along, e.g.
#   python -m pip download --only-binary=:all: --python-version 3.12 --platform manylinux2014_x86_64 \
#       -d shared/wheels -r requirements/gpu_check.txt
# On the GPU machine (no network needed; its own torch is used, mmcv's CUDA ops are never built):
#   tools/analysis_tools/gpu_check.sh [WHEELHOUSE=shared/wheels] [gpu_check.py args]
set -euo pipefail
cd "$(dirname "$0")/../.."
WHEELS=${1:-shared/wheels}
shift || true
PYTHON=${PYTHON:-python3}
VENV=${VENV:-/tmp/visft_gpu_check_venv}
if ! "$PYTHON" -c 'import torch, sys; sys.exit(not torch.cuda.is_available())'; then
    echo "gpu_check: $PYTHON has no torch with CUDA" >&2
    exit 1
fi
"$PYTHON" -m venv --system-site-packages "$VENV"  # the machine's own torch stays the one imported
"$VENV/bin/python" -m pip install -q --no-index --find-links "$WHEELS" -r requirements/gpu_check.txt
PYTHONPATH="$PWD" timeout 480 "$VENV/bin/python" tools/analysis_tools/gpu_check.py "$@"
