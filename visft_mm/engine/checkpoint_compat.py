"""Let mmengine 0.10.x load its own checkpoints on torch >= 2.6.

torch 2.6 made ``torch.load(weights_only=True)`` the default; mmengine 0.10.7 calls ``torch.load`` without the
argument, so ``load_from``/``resume`` of any checkpoint it wrote itself fails: the message hub stores
``HistoryBuffer`` objects holding numpy arrays and scalars.  Rather than turning ``weights_only`` off, the
checkpoint loader runs inside :func:`torch.serialization.safe_globals` with exactly the globals mmengine writes.

The one dangerous global in such a checkpoint is ``builtins.getattr`` (pickle stores the class-level statistics
table of ``HistoryBuffer`` as ``getattr(HistoryBuffer, 'min')``); it is replaced by :func:`_history_buffer_getattr`,
which only resolves ``HistoryBuffer`` statistics methods, so a crafted file cannot reach anything else.
"""
import functools
import pickle

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader


_DEFAULT_STATISTICS = ('min', 'max', 'current', 'mean')


def _history_buffer_getattr(obj, name):
    """``getattr`` restricted to what mmengine pickles: ``HistoryBuffer.<statistics method>``."""
    if obj is HistoryBuffer and (name in _DEFAULT_STATISTICS or name in HistoryBuffer._statistics_methods):
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


def patch_mmengine_checkpoint_loading():
    """Run ``CheckpointLoader.load_checkpoint`` (every scheme) with mmengine's globals allowed.  Idempotent."""
    if not hasattr(torch.serialization, 'safe_globals'):  # torch < 2.5 never loads weights_only by default
        return
    original = CheckpointLoader.load_checkpoint.__func__
    if getattr(original, '_visft_mm_patched', False):
        return

    @functools.wraps(original)
    def load_checkpoint(cls, *args, **kwargs):
        with torch.serialization.safe_globals(MMENGINE_CHECKPOINT_GLOBALS):
            return original(cls, *args, **kwargs)

    load_checkpoint._visft_mm_patched = True
    CheckpointLoader.load_checkpoint = classmethod(load_checkpoint)


def load_checkpoint_file(path: str, map_location='cpu'):
    """``torch.load`` of a local checkpoint with ``weights_only=True`` and exactly mmengine's globals allowed.

    What visft_mm's own readers (LoRA files, converters) use for files mmengine wrote; errors name the file.
    """
    import os.path as osp
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path!r} does not exist')
    try:
        with torch.serialization.safe_globals(MMENGINE_CHECKPOINT_GLOBALS):
            return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as e:  # pickle (refused globals), zip (torn file) errors
        raise ValueError(f'{path!r} is not a readable checkpoint: {type(e).__name__}: {e}') from e
