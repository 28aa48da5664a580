"""Analytic FLOPs of an EVA-ViT training step, from the arch table, the image size and the batch.

Counts the matrix multiplications (2 FLOPs per multiply-add): patch embedding, q/k/v/proj, attention (QK^T and AV),
MLP and the LoRA matrices; LayerNorm, GELU, softmax and additions are left out, as in the usual MFU convention
(they are < 1% of the total for eva-g / eva-e).  The backward counts only what a training step really needs:

* ``trainable='lora'`` (stage 2): input gradients through every frozen layer above the first block's input (which
  needs none: the image and the frozen patch embedding want no gradient), weight gradients for the LoRA only;
* ``trainable='all'``: input and weight gradients everywhere (2x the forward);
* ``trainable='none'``: forward only.

Gradient checkpointing adds the recomputed block forwards (``StepFlops.recompute``): they count towards the
hardware utilisation, not the model FLOPs.
"""
import math
from dataclasses import dataclass
from typing import Sequence, Tuple, Union

from visft_mm.models.backbones.eva_vit import EVAViT

PATCH = EVAViT.patch_size  # the one source of the patch size
IN_CHANNELS = 3


@dataclass(frozen=True)
class StepFlops:
    forward: float
    backward: float
    recompute: float = 0.0

    @property
    def model(self) -> float:
        """Forward + the backward really needed (no recompute): the numerator of MFU."""
        return self.forward + self.backward

    @property
    def hardware(self) -> float:
        """What the hardware executes, recompute included: the numerator of hardware utilisation."""
        return self.model + self.recompute

    def __add__(self, other: 'StepFlops') -> 'StepFlops':
        return StepFlops(self.forward + other.forward, self.backward + other.backward,
                         self.recompute + other.recompute)


def token_grid(img_hw: Union[int, Sequence[int]]) -> Tuple[int, int]:
    """Patch grid of an image (EVAViT pads it to a multiple of 14 at the bottom / right)."""
    h, w = (img_hw, img_hw) if isinstance(img_hw, int) else img_hw
    return math.ceil(h / PATCH), math.ceil(w / PATCH)


def block_forward_flops(arch: dict, tokens_per_image: int, batch: int, lora_rank: int = 0,
                        lora_targets: int = 2) -> dict:
    """One block's forward FLOPs by part (T = batch x tokens)."""
    D, F, N = arch['embed_dims'], arch['feedforward_channels'], tokens_per_image
    T = batch * N
    return dict(qkv=3 * 2 * T * D * D, attention=2 * 2 * batch * N * N * D, proj=2 * T * D * D,
                mlp=2 * 2 * T * D * F, lora=lora_targets * 2 * 2 * T * D * lora_rank)


def eva_step_flops(arch: dict, img_hw: Union[int, Sequence[int]], batch: int, lora_rank: int = 0,
                   lora_targets: int = 2, trainable: str = 'lora', with_cp: bool = False) -> StepFlops:
    """FLOPs of one EVA-ViT forward + the backward ``trainable`` needs (see the module doc)."""
    if trainable not in ('lora', 'all', 'none'):
        raise ValueError(f"trainable must be 'lora', 'all' or 'none', got {trainable!r}")
    gh, gw = token_grid(img_hw)
    L, D = arch['num_layers'], arch['embed_dims']
    block = block_forward_flops(arch, 1 + gh * gw, batch, lora_rank, lora_targets)
    block_fwd = sum(block.values())
    patch_embed = 2 * batch * gh * gw * IN_CHANNELS * PATCH * PATCH * D
    forward = patch_embed + L * block_fwd
    if trainable == 'none':
        return StepFlops(forward, 0.0)
    if trainable == 'all':
        backward = 2 * forward
    else:
        # every block above the first: input grads through all linears (= their forward), attention backward
        # dS, dV, dQ, dK (2x its forward), LoRA input + weight grads (2x its forward)
        upper = block['qkv'] + 2 * block['attention'] + block['proj'] + block['mlp'] + 2 * block['lora']
        # the first block's input needs no gradient: no dX through q/k/v nor LoRA-A, no dK (k wants no grad)
        first = block['proj'] + block['mlp'] + 1.5 * block['attention'] + 1.5 * block['lora']
        backward = first + (L - 1) * upper
    return StepFlops(forward, backward, recompute=L * block_fwd if with_cp else 0.0)
