#!/usr/bin/env bash
# Make a Python environment with the whole visft_mm stack; idempotent, fast when nothing changed.
#
# Sourced by tools/run_demo.sh and tools/run_tests.sh; exports PY (the interpreter to use).
# - Inside an active virtualenv/conda env (or with VISFT_PYTHON=/path/to/python) that environment is used;
#   otherwise a virtualenv is made in ./.venv.
# - An installed torch/torchvision is kept (pinned by a constraints file for every later pip call); without one,
#   torch==2.14.1 torchvision==0.29.1 are installed (override with VISFT_TORCH_SPEC).
# - mmcv 2.0.1 with compiled ops comes from tools/install_mmcv.sh (prebuilt wheel via PIP_FIND_LINKS, else a
#   patched source build, cached per machine); ../shared/wheels is searched when it exists.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "[setup_env] $*" >&2; }

if [ -n "${VISFT_PYTHON:-}" ]; then
  PY=$VISFT_PYTHON
elif [ -n "${VIRTUAL_ENV:-}" ] && [ "${VIRTUAL_ENV}" != "$ROOT/.venv" ]; then
  PY=$VIRTUAL_ENV/bin/python
elif [ -n "${CONDA_PREFIX:-}" ]; then
  PY=$CONDA_PREFIX/bin/python
else
  if [ ! -x "$ROOT/.venv/bin/python" ]; then
    log "creating $ROOT/.venv"
    python3 -m venv "$ROOT/.venv"
  fi
  PY=$ROOT/.venv/bin/python
fi
export PY

# A stamp of everything that decides the install: skip all of it when unchanged.
STAMP_DIR=$("$PY" -c 'import sys; print(sys.prefix)')
STAMP="$STAMP_DIR/.visft_mm_env_stamp"
want=$(cat "$ROOT"/requirements/*.txt "$ROOT/setup.py" "$ROOT/tools/install_mmcv.sh" "$ROOT/tools/setup_env.sh" \
       | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
   && "$PY" -c 'import visft_mm, mmdet.models' >/dev/null 2>&1; then
  return 0 2>/dev/null || exit 0
fi

start=$(date +%s)
"$PY" -m pip install -q --upgrade "pip>=23" "setuptools<81" wheel

if ! "$PY" -c 'import torch, torchvision' >/dev/null 2>&1; then
  log "installing ${VISFT_TORCH_SPEC:-torch==2.14.1 torchvision==0.29.1}"
  # shellcheck disable=SC2086
  "$PY" -m pip install -q ${VISFT_TORCH_SPEC:-torch==2.14.1 torchvision==0.29.1}
fi
CONSTRAINTS="$STAMP_DIR/.visft_mm_torch_constraints.txt"
"$PY" - >"$CONSTRAINTS" <<'PY'
import torch, torchvision
print('torch==' + torch.__version__.split('+')[0])
print('torchvision==' + torchvision.__version__.split('+')[0])
PY
log "keeping $(tr '\n' ' ' <"$CONSTRAINTS")"

"$PY" -m pip install -q -c "$CONSTRAINTS" -e "$ROOT[tests]"
# packages whose declared dependencies are wrong for this stack (requirements/no_deps.txt says why, per package)
"$PY" -m pip install -q --no-deps -r "$ROOT/requirements/no_deps.txt"
# a prebuilt mmcv wheel beside the checkout (../shared/wheels, as CI and this project's machines have it) saves
# the ~20-minute source build; install_mmcv.sh checks that its ops load against this torch before keeping it
if [ -d "$ROOT/../shared/wheels" ]; then
  PIP_FIND_LINKS="${PIP_FIND_LINKS:+$PIP_FIND_LINKS }$(cd "$ROOT/../shared/wheels" && pwd)"
  export PIP_FIND_LINKS
fi
PYTHON=$PY bash "$ROOT/tools/install_mmcv.sh"
"$PY" -c 'import visft_mm, mmdet.models, mmocr.models, mmpretrain.models, mmpose.models, panopticapi.evaluation, peft'
echo "$want" >"$STAMP"
log "environment ready in $(( $(date +%s) - start )) s: $PY"
