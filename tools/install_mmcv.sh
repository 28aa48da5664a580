#!/usr/bin/env bash
# Install mmcv 2.0.1 with compiled ops into the current Python environment.
#
# 1. Already installed with a loadable `mmcv._ext` -> nothing to do.
# 2. A wheel pip can find (PIP_FIND_LINKS, e.g. ../shared/wheels, or this script's cache) whose `_ext` loads
#    against the installed torch -> use it.
# 3. Otherwise build from the PyPI sdist: drop the `-std=c++14` that mmcv 2.0.1's setup.py forces (torch >= 2.1
#    headers need C++17, torch 2.14 C++20; without a forced flag torch's BuildExtension picks the right one),
#    build with MMCV_WITH_OPS=1 (CUDA ops when torch sees a GPU, or FORCE_CUDA=1), and cache the wheel per
#    torch build so a machine builds it once.  CPU ops: about 20 minutes on 2 cores.
#
# Usage: PYTHON=/path/to/python bash tools/install_mmcv.sh
set -euo pipefail

PYTHON=${PYTHON:-python}
MMCV_VERSION=2.0.1
log() { echo "[install_mmcv] $*" >&2; }

mmcv_ops_ok() {
  "$PYTHON" - <<PY 2>/dev/null
import mmcv, sys
from mmcv.utils import ext_loader
ext_loader.load_ext('_ext', ['nms'])
sys.exit(0 if mmcv.__version__ == '$MMCV_VERSION' else 1)
PY
}

if mmcv_ops_ok; then
  log "mmcv $MMCV_VERSION with compiled ops is already installed"
  exit 0
fi

TORCH_TAG=$("$PYTHON" -c 'import torch; print(torch.__version__.replace("+", "-"))')
CACHE=${VISFT_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/visft_mm/wheels}/torch-$TORCH_TAG
mkdir -p "$CACHE"

# pip reads PIP_FIND_LINKS itself; the cache is added on top.  --only-binary: never fall back to an unpatched
# source build here.
if "$PYTHON" -m pip install --no-deps --only-binary mmcv --find-links "$CACHE" "mmcv==$MMCV_VERSION" >&2; then
  if mmcv_ops_ok; then
    log "installed a prebuilt mmcv $MMCV_VERSION wheel"
    exit 0
  fi
  log "the prebuilt mmcv wheel does not load against torch $TORCH_TAG; building from source"
  "$PYTHON" -m pip uninstall -y mmcv >&2
else
  log "no prebuilt mmcv $MMCV_VERSION wheel found; building from source (about 20 minutes on 2 cores)"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" -m pip install "setuptools<81" wheel ninja psutil >&2
# The sdist's metadata step imports torch, so no build isolation.
"$PYTHON" -m pip download --no-deps --no-binary mmcv --no-build-isolation -d "$WORK" "mmcv==$MMCV_VERSION" >&2
tar -xzf "$WORK"/mmcv-$MMCV_VERSION.tar.gz -C "$WORK"
SRC="$WORK/mmcv-$MMCV_VERSION"
# Only the quoted POSIX flag is removed; the Windows '/std:c++14' branch and comments stay.
grep -q -- "'-std=c++14'" "$SRC/setup.py" || { log "mmcv setup.py no longer forces -std=c++14: check the patch"; exit 1; }
sed -i -e "s/'-std=c++14'//g" "$SRC/setup.py"
"$PYTHON" -m py_compile "$SRC/setup.py"

start=$(date +%s)
(cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-$(nproc)} \
  "$PYTHON" -m pip wheel --no-deps --no-build-isolation -w "$CACHE" . >&2)
log "built mmcv $MMCV_VERSION in $(( $(date +%s) - start )) s; wheel cached in $CACHE"
"$PYTHON" -m pip install --no-deps --force-reinstall "$CACHE"/mmcv-$MMCV_VERSION-*.whl >&2
mmcv_ops_ok || { log "mmcv built but its compiled ops do not load"; exit 1; }
log "mmcv $MMCV_VERSION with compiled ops installed"
