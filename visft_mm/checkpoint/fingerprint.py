"""The one fingerprint of weights, and the one fingerprint of files' bytes (a different question, see below).

:func:`weights_fingerprint` identifies *tensors* whatever their storage dtype or file layout (the same EVA-CLIP
weights read from the ``.pt``, open_clip or timm file agree): checkpoints record it for the frozen weights they
leave out (:mod:`.meta`), caches key on it.  :func:`file_fingerprint` identifies *bytes on disk*: benchmark cells
and training caches keyed by their input files, without loading them.  A re-saved file has a new file
fingerprint and the same weights fingerprint.
"""
import hashlib
import math
import os
import os.path as osp
from typing import Iterable, Sequence, Union

import torch

ROUNDING = 'bfloat16'
_WHOLE_FILE_LIMIT = 256 * 2**20  # bigger files (EVA-CLIP: 2-17 GB) are fingerprinted by size + head + tail
_EDGE = 4 * 2**20


def weights_fingerprint(tensors: Iterable[torch.Tensor]) -> float:
    """A float64 sum over the tensors rounded to bf16: cheap, order-independent, different for different weights
    in practice, and the same whether the frozen weights are stored in fp32 or bf16.

    Checkpoints record it for the frozen weights they leave out, so that loading one onto other frozen weights
    (another EVA-CLIP file or arch) is an error rather than a silently wrong model.  The rounding is what lets a
    LoRA trained on bf16-stored weights (``EVAViT(frozen_dtype='bfloat16')``: round-to-nearest of the same source
    weights) load onto an fp32 model and vice versa; weights that differ only below bf16 precision (2^-8
    relative) count as the same, which no two EVA-CLIP files or random seeds do.
    """
    dtype = getattr(torch, ROUNDING)
    return math.fsum(t.detach().to(dtype).double().sum().item() for t in tensors)


def fingerprints_match(expected: float, actual: float) -> bool:
    """Equal up to float64 summation noise (the same weights summed on another device or in another order)."""
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)


def file_fingerprint(path: Union[None, str, Sequence[str]]) -> str:
    """sha256 of a file's bytes (size, first and last 4 MiB for files over 256 MiB), of a folder's files, or of a
    list of files (names and bytes, in order); ``None`` -> ``'none'``."""
    if path is None:
        return 'none'
    if not isinstance(path, str):
        digest = hashlib.sha256()
        for item in path:
            digest.update(f'{osp.basename(item)}:{file_fingerprint(item)};'.encode())
        return digest.hexdigest()
    if osp.isdir(path):
        return file_fingerprint([osp.join(path, name) for name in sorted(os.listdir(path))])
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r} does not exist')
    digest = hashlib.sha256()
    size = osp.getsize(path)
    digest.update(str(size).encode())
    with open(path, 'rb') as f:
        if size <= _WHOLE_FILE_LIMIT:
            for chunk in iter(lambda: f.read(2**20), b''):
                digest.update(chunk)
        else:
            digest.update(f.read(_EDGE))
            f.seek(size - _EDGE)
            digest.update(f.read(_EDGE))
    return digest.hexdigest()
