"""Every read of a checkpoint file or URL in visft_mm: weights-only, URLs downloaded safely, errors naming the file.

This is the one place that unpickles (:func:`load_checkpoint_file`; :func:`load_safetensors` for safetensors
files): the EVA-CLIP readers, the LoRA files, the stage-1 heads, the zero-shot caches, the converters and
:class:`~visft_mm.engine.SafeCheckpointLoadHook` all come through here.  It imports neither ``models`` nor
``engine``.

torch 2.6 made ``torch.load(weights_only=True)`` the default; mmengine 0.10.7 calls ``torch.load`` without the
argument, so ``load_from``/``resume`` of a checkpoint it wrote itself fails: the message hub stores
``HistoryBuffer`` objects holding numpy arrays and scalars.  :func:`allow_mmengine_checkpoint_globals` (called by
``import visft_mm``, and before every read here) adds exactly those globals to torch's ``weights_only`` allow-list
with torch's public :func:`torch.serialization.add_safe_globals` (mmengine's own functions are not touched):
``weights_only`` stays on.

The one dangerous global in such a checkpoint is ``builtins.getattr`` (pickle stores the class-level statistics
table of ``HistoryBuffer`` as ``getattr(HistoryBuffer, 'min')``).  It is allowed under its pickled name
``builtins.getattr`` but bound to :func:`_history_buffer_getattr`, which resolves only ``HistoryBuffer``
statistics methods: a crafted file cannot reach anything else through it.

URLs are the other hole: mmengine sends ``http(s)://`` and ``open-mmlab://`` checkpoints to
``torch.hub.load_state_dict_from_url``, which unpickles with ``weights_only=False``.  :func:`load_checkpoint_file`
(what visft_mm's own readers use) and :func:`localize_checkpoint` (what :class:`SafeCheckpointLoadHook` uses for
``load_from`` / ``resume``) download a URL to a local file and load that with ``weights_only=True``.
"""
import hashlib
import io
import os
import os.path as osp
import pickle
import tempfile
import zipfile

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import get_external_models

from visft_mm.private_apis import history_buffer_statistics, mmengine_home

_DEFAULT_STATISTICS = ('min', 'max', 'current', 'mean')
URL_PREFIXES = ('http://', 'https://')
OPENMMLAB_PREFIXES = ('open-mmlab://', 'openmmlab://')


def _history_buffer_getattr(obj, name):
    """``getattr`` restricted to what mmengine pickles: ``HistoryBuffer.<statistics method>``."""
    if obj is HistoryBuffer and (name in _DEFAULT_STATISTICS or name in history_buffer_statistics()):
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'refusing getattr({obj!r}, {name!r}) while loading a checkpoint: only '
        'HistoryBuffer statistics methods are allowed')


def _numpy_globals():
    """numpy's pickling globals under both the numpy 1.x (``numpy.core``) and 2.x (``numpy._core``) names."""
    if int(np.__version__.split('.')[0]) >= 2:
        from numpy._core import multiarray
    else:
        from numpy.core import multiarray
    entries = [np.ndarray, np.dtype]
    for fn in (multiarray._reconstruct, multiarray.scalar):
        for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
            entries.append((fn, f'{module}.{fn.__name__}'))
    dtypes = getattr(np, 'dtypes', None)  # numpy >= 1.25 pickles some dtypes by their class
    if dtypes is not None:
        entries += [cls for cls in vars(dtypes).values() if isinstance(cls, type) and issubclass(cls, np.dtype)]
    return entries


MMENGINE_CHECKPOINT_GLOBALS = [
    HistoryBuffer,
    (_history_buffer_getattr, 'builtins.getattr'),
    *_numpy_globals(),
]


def allow_mmengine_checkpoint_globals() -> None:
    """Add :data:`MMENGINE_CHECKPOINT_GLOBALS` to torch's ``weights_only`` allow-list (idempotent)."""
    if hasattr(torch.serialization, 'add_safe_globals'):  # torch < 2.4 never loads weights_only by default
        torch.serialization.add_safe_globals(MMENGINE_CHECKPOINT_GLOBALS)


def is_remote(path: str) -> bool:
    """A checkpoint name that mmengine would hand to ``torch.hub`` (``weights_only=False``)."""
    return isinstance(path, str) and path.startswith(URL_PREFIXES + OPENMMLAB_PREFIXES)


def _resolve_url(name: str) -> str:
    if name.startswith(OPENMMLAB_PREFIXES):
        model = name.split('://', 1)[1]
        urls = get_external_models()
        if model not in urls:
            raise ValueError(f'{name!r}: mmengine knows no OpenMMLab model {model!r}')
        url = urls[model]
        if not url.startswith(URL_PREFIXES):  # a file under mmengine's home
            return osp.join(mmengine_home(), url)
        return url
    return name


def localize_checkpoint(name: str, cache_dir: str = None) -> str:
    """A local file for ``name``: a path as is, a URL (``http(s)://``, ``open-mmlab://``) downloaded once into
    ``cache_dir`` (default: torch hub's ``checkpoints/visft_mm``) without unpickling anything."""
    if not is_remote(name):
        return name
    url = _resolve_url(name)
    if not url.startswith(URL_PREFIXES):
        return url
    if cache_dir is None:
        cache_dir = osp.join(torch.hub.get_dir(), 'checkpoints', 'visft_mm')
    os.makedirs(cache_dir, exist_ok=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    target = osp.join(cache_dir, f'{digest}-{osp.basename(url.split("?")[0]) or "checkpoint.pth"}')
    if not osp.isfile(target):
        fd, partial = tempfile.mkstemp(dir=cache_dir, suffix='.partial')
        os.close(fd)
        try:
            torch.hub.download_url_to_file(url, partial, progress=False)
            os.replace(partial, target)  # atomic: concurrent ranks never see a half-downloaded file
        except Exception as e:
            if osp.exists(partial):
                os.remove(partial)
            raise OSError(f'could not download checkpoint {name!r}: {type(e).__name__}: {e}') from e
    return target


def load_checkpoint_file(path: str, map_location='cpu', mmap: bool = False):
    """Load a checkpoint with ``weights_only=True`` and exactly mmengine's globals allowed; errors name the file.

    ``path`` is a local file, a URL (downloaded first, see :func:`localize_checkpoint`) or any other mmengine
    file-backend URI (read as bytes).  ``mmap=True`` maps a local zip-format file instead of reading it (a full
    EVA-CLIP file of which only a part is used); a legacy-format file, which cannot be mapped, is read whole.
    A ``.safetensors`` file (how the Hugging Face hub ships open_clip and timm weights) is read by
    :func:`load_safetensors` (a device ``map_location``; a callable one is refused, safetensors has no hook).
    """
    if path.split('?')[0].endswith('.safetensors'):
        if callable(map_location):
            raise TypeError(f'{path!r}: a safetensors file loads onto a device, not through a map_location '
                            f'function ({map_location!r})')
        return load_safetensors(path, device=str(map_location or 'cpu'))
    allow_mmengine_checkpoint_globals()
    local = localize_checkpoint(path)
    try:
        if '://' in local:  # e.g. s3://: bytes through mmengine's file backends, unpickled here
            from mmengine.fileio import get
            source, mmap = io.BytesIO(get(local)), False
        else:
            if not osp.isfile(local):
                raise FileNotFoundError(f'checkpoint {path!r} does not exist')
            source = local
            mmap = mmap and zipfile.is_zipfile(local)
        return torch.load(source, map_location=map_location, weights_only=True, mmap=mmap)
    except FileNotFoundError:
        raise
    except Exception as e:  # pickle (refused globals, code), zip (torn / truncated file) errors
        where = repr(path) if local == path else f'{path!r} (downloaded to {local!r})'
        raise ValueError(f'{where} is not a readable checkpoint: {type(e).__name__}: {e}') from e


def load_safetensors(path: str, device: str = 'cpu'):
    """A safetensors file's tensors on ``device`` (no pickle at all); a URL is downloaded first; errors name the
    file."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file
    local = localize_checkpoint(path)
    if not osp.isfile(local):
        raise FileNotFoundError(f'safetensors file {path!r} does not exist')
    try:
        return load_file(local, device=device)
    except (SafetensorError, OSError, ValueError) as e:
        raise ValueError(f'{path!r} is not a readable safetensors file: {type(e).__name__}: {e}') from e


def atomic_write(path: str, data: bytes, what: str = 'file') -> None:
    """Write ``data`` to ``path`` through a partial file, fsync and ``os.replace``: readers see the old or the new
    file, never a part; a failed write (full disk, read-only folder) names ``what`` and ``path`` and leaves no
    partial file."""
    partial = f'{path}.partial'
    try:
        with open(partial, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except OSError as e:
        if osp.exists(partial):
            os.remove(partial)
        raise OSError(e.errno, f'cannot write {what} {path} ({e.strerror or e}); the previous {what}, if any, '
                      'is intact') from e
