"""Where the [CLS] token attends in one EVA-ViT block (Fig. 3 of the paper).

:class:`EVAAttention` runs PyTorch's fused SDPA, which returns no weights.  Instead of swapping the attention
implementation, a forward pre-hook on the chosen block's ``attn`` captures that block's attention input during an
ordinary forward pass, and the weights are recomputed from it with the block's own ``q_proj`` / ``k_proj`` (plain,
peft-wrapped or with a LoRA merged in: calling the module applies whatever it holds) exactly as SDPA does:
``softmax(q k^T / sqrt(head_dim))``.
"""
import math
from dataclasses import dataclass
from typing import Tuple

import torch


@dataclass
class ClsAttention:
    """The [CLS] row of one block's attention.

    Attributes:
        weights: (B, num_heads, 1 + H * W) softmax weights over [CLS] and the patches (each row sums to 1).
        grid_hw: the patch grid (H, W) of the input.
    """
    weights: torch.Tensor
    grid_hw: Tuple[int, int]

    def patch_maps(self) -> torch.Tensor:
        """(B, num_heads, H, W): the weights on the patches, laid out on the patch grid."""
        B, heads, _ = self.weights.shape
        return self.weights[:, :, 1:].reshape(B, heads, *self.grid_hw)


def attention_weights(attn: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """(B, num_heads, N, N) attention weights of an :class:`EVAAttention` module on its input ``x`` (B, N, C)."""
    B, N, C = x.shape
    heads = attn.num_heads
    q = attn.q_proj(x).view(B, N, heads, C // heads).transpose(1, 2)
    k = attn.k_proj(x).view(B, N, heads, C // heads).transpose(1, 2)
    return torch.softmax((q.float() @ k.float().transpose(-2, -1)) / math.sqrt(C // heads), dim=-1)


@torch.no_grad()
def cls_attention(backbone: torch.nn.Module, images: torch.Tensor, block_index: int = -1) -> ClsAttention:
    """Run ``backbone`` (an :class:`EVAViT`) on ``images`` (B, 3, H, W, normalised) and return the [CLS] token's
    attention in block ``block_index`` (default: the last block)."""
    captured = []
    attn = backbone.blocks[block_index].attn
    handle = attn.register_forward_pre_hook(lambda module, args: captured.append(args[0]))
    try:
        backbone(images)
    finally:
        handle.remove()
    if len(captured) != 1:
        raise RuntimeError(f'expected one call of block {block_index}\'s attention, got {len(captured)}')
    patch = backbone.patch_size
    grid_hw = (math.ceil(images.shape[-2] / patch), math.ceil(images.shape[-1] / patch))
    return ClsAttention(attention_weights(attn, captured[0])[:, :, 0], grid_hw)
