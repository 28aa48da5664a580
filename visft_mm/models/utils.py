"""Small helpers shared by the models and the checkpoint hook."""
import math
from typing import Iterable, Optional

import torch


def weights_fingerprint(tensors: Iterable[torch.Tensor], rounding: Optional[str] = 'bfloat16') -> float:
    """A float64 sum over the tensors rounded to bf16: cheap, order-independent, different for different weights
    in practice, and the same whether the frozen weights are stored in fp32 or bf16.

    Checkpoints record it for the frozen weights they leave out, so that loading one onto other frozen weights
    (another EVA-CLIP file or arch) is an error rather than a silently wrong model.  The rounding is what lets a
    LoRA trained on bf16-stored weights (``EVAViT(frozen_dtype='bfloat16')``: round-to-nearest of the same source
    weights) load onto an fp32 model and vice versa; weights that differ only below bf16 precision (2^-8
    relative) count as the same, which no two EVA-CLIP files or random seeds do.  ``rounding=None``: the exact sum
    that checkpoints written before the rounding recorded (:mod:`visft_mm.models.checkpoint_meta` picks it).
    """
    if rounding is None:
        return math.fsum(t.detach().double().sum().item() for t in tensors)
    dtype = getattr(torch, rounding)
    return math.fsum(t.detach().to(dtype).double().sum().item() for t in tensors)


def fingerprints_match(expected: float, actual: float) -> bool:
    """Equal up to float64 summation noise (the same weights summed on another device or in another order)."""
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)
