"""Small helpers shared by the models and the checkpoint hook."""
import math
from typing import Iterable

import torch


def weights_fingerprint(tensors: Iterable[torch.Tensor]) -> float:
    """A float64 sum over the tensors: cheap, order-independent, and different for different weights in practice.

    Checkpoints record it for the frozen weights they leave out, so that loading one onto other frozen weights
    (another EVA-CLIP file or arch) is an error rather than a silently wrong model.
    """
    return math.fsum(t.detach().double().sum().item() for t in tensors)


def fingerprints_match(expected: float, actual: float) -> bool:
    """Equal up to float64 summation noise (the same weights summed on another device or in another order)."""
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)
