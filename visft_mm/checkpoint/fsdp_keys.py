"""FSDP's names and sharded files, read back as the plain model's.

Under mmengine's ``FSDPStrategy`` the model's parameter names gain ``_fsdp_wrapped_module.`` (and, with activation
checkpointing, ``_checkpoint_wrapped_module.``) segments, and a ``'local'`` checkpoint is a folder
``iter_N.pth/rank{r}.pth`` whose tensors are each rank's flat 1-D piece of every parameter (plus one
``<unit>._flat_param`` entry per FSDP unit).  Everything that reads our checkpoints outside the FSDP runner (LoRA
export, the evaluation LoRA loader) consolidates such a folder into the one-file form with :func:`consolidate`,
using the full shapes the checkpoint records in ``meta['fsdp']['shapes']`` (``TrainableCheckpointHook`` writes
them).  A ``'full'`` checkpoint is already one file with plain keys.
"""
import os.path as osp
import re
from typing import Callable, Dict, List

import torch

WRAPPER_SEGMENTS = ('_fsdp_wrapped_module.', '_checkpoint_wrapped_module.')
FLAT_PARAM = '_flat_param'
_RANK_FILE = re.compile(r'^rank(\d+)\.pth$')


def plain_key(key: str) -> str:
    """A parameter / state-dict name without FSDP's and activation checkpointing's wrapper segments."""
    for segment in WRAPPER_SEGMENTS:
        key = key.replace(segment, '')
    return key


def is_flat_param_key(key: str) -> bool:
    return key == FLAT_PARAM or key.endswith('.' + FLAT_PARAM)


def is_sharded_checkpoint(path: str) -> bool:
    """A ``'local'`` FSDP checkpoint: a folder holding ``rank0.pth``."""
    return osp.isdir(path) and osp.isfile(osp.join(path, 'rank0.pth'))


def rank_files(path: str) -> List[str]:
    """``rank0.pth .. rank{N-1}.pth`` of a sharded checkpoint, in rank order; a gap is an error naming it."""
    import os
    ranks = sorted(int(m.group(1)) for name in os.listdir(path) if (m := _RANK_FILE.match(name)))
    if not ranks or ranks != list(range(len(ranks))):
        raise ValueError(f'sharded checkpoint {path!r} holds rank files {ranks}: expected rank0.pth .. '
                         f'rank{max(ranks or [0])}.pth without gaps (one per training rank)')
    return [osp.join(path, f'rank{r}.pth') for r in ranks]


def consolidate(shards: List[dict], source: str) -> dict:
    """One checkpoint (plain keys, full tensors, rank 0's meta; no optimizer state) from the per-rank checkpoints
    of a ``'local'`` FSDP save, in rank order."""
    meta = shards[0].get('meta') or {}
    fsdp = meta.get('fsdp') or {}
    shapes = fsdp.get('shapes')
    if shapes is None:
        raise ValueError(f'sharded checkpoint {source!r} records no meta["fsdp"]["shapes"] (it was not written '
                         'with TrainableCheckpointHook): its flat pieces cannot be put back into tensors')
    if fsdp.get('world_size', len(shards)) != len(shards):
        raise ValueError(f'sharded checkpoint {source!r} was written by {fsdp["world_size"]} ranks but holds '
                         f'{len(shards)} rank files')
    states = [s['state_dict'] for s in shards]
    out = {}
    for key, value in states[0].items():
        if is_flat_param_key(key):
            continue
        if key not in shapes:  # a buffer: FSDP does not shard them
            out[plain_key(key)] = value
            continue
        missing = [r for r, s in enumerate(states) if key not in s]
        if missing:
            raise ValueError(f'sharded checkpoint {source!r}: {key!r} is missing from ranks {missing}')
        flat = torch.cat([s[key].reshape(-1) for s in states])
        shape = torch.Size(shapes[key])
        if flat.numel() != shape.numel():
            raise ValueError(f'sharded checkpoint {source!r}: the pieces of {key!r} hold {flat.numel()} values, '
                             f'its recorded shape {tuple(shape)} needs {shape.numel()}')
        out[plain_key(key)] = flat.view(shape)
    return dict(meta=meta, state_dict=out)


def read_sharded_checkpoint(path: str, load: Callable[[str], dict]) -> dict:
    """:func:`consolidate` of the rank files of ``path``, each read with ``load`` (a weights-only reader)."""
    return consolidate([load(f) for f in rank_files(path)], path)


def full_shapes(named_shapes: Dict[str, torch.Size]) -> Dict[str, List[int]]:
    """``{plain key: shape as a list}``: what ``meta['fsdp']['shapes']`` holds."""
    return {plain_key(k): list(v) for k, v in named_shapes.items()}
