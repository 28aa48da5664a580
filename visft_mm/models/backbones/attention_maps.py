"""Where the token a backbone pools attends (Fig. 3 of the paper): the [CLS] row of one block, or, for a tower
without a class token (SigLIP), the attention pool's latent query over the patches.

The attentions run PyTorch's fused SDPA, which returns no weights.  Instead of swapping the attention
implementation, a forward pre-hook captures the chosen module's input during an ordinary forward pass, and the
weights are recomputed from it: for a block, with the attention's own ``qkv`` (its q / k projections, plain,
peft-wrapped or with a LoRA merged in, and EVA02's rotary embedding: whatever the module applies) as SDPA does,
``softmax(q k^T / sqrt(head_dim))``; for timm's ``AttentionPoolLatent``, from its latent, ``q`` / ``kv``
projections and q / k norms.
"""
import math
from dataclasses import dataclass
from typing import Tuple

import torch


@dataclass
class ClsAttention:
    """The pooled token's row of one attention.

    Attributes:
        weights: (B, num_heads, num_prefix_tokens + H * W) softmax weights over the prefix tokens ([CLS], if any)
            and the patches (each row sums to 1).
        grid_hw: the patch grid (H, W) of the input.
        num_prefix_tokens: tokens before the patches (1: [CLS]; 0: an attention pool over the patches alone).
    """
    weights: torch.Tensor
    grid_hw: Tuple[int, int]
    num_prefix_tokens: int = 1

    def patch_maps(self) -> torch.Tensor:
        """(B, num_heads, H, W): the weights on the patches, laid out on the patch grid."""
        B, heads, _ = self.weights.shape
        return self.weights[:, :, self.num_prefix_tokens:].reshape(B, heads, *self.grid_hw)


def attention_weights(attn: torch.nn.Module, x: torch.Tensor, *args) -> torch.Tensor:
    """(B, num_heads, N, N) weights of a block's attention (``EVAAttention``, ``CLIPAttention``) on its input
    ``x`` (B, N, C) and its other forward arguments (EVA02's rotary embedding)."""
    q, k, _ = attn.qkv(x, *args)
    return _softmax(q, k)


def pool_attention_weights(pool: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """(B, num_heads, latent_len, N) weights of timm's ``AttentionPoolLatent`` on its input tokens ``x``."""
    B, N, C = x.shape
    if pool.pos_embed is not None:
        x = x + pool.pos_embed.unsqueeze(0).to(x.dtype)
    q = pool.q(pool.latent.expand(B, -1, -1)).reshape(B, pool.latent_len, pool.num_heads, pool.head_dim)
    k = pool.kv(x).reshape(B, N, 2, pool.num_heads, pool.head_dim)[:, :, 0]
    return _softmax(pool.q_norm(q.transpose(1, 2)), pool.k_norm(k.transpose(1, 2)))


def _softmax(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.softmax((q.float() @ k.float().transpose(-2, -1)) / math.sqrt(q.shape[-1]), dim=-1)


def _captured_input(module: torch.nn.Module, backbone: torch.nn.Module, images: torch.Tensor, what: str) -> tuple:
    captured = []
    handle = module.register_forward_pre_hook(lambda _, args: captured.append(args))
    try:
        backbone(images)
    finally:
        handle.remove()
    if len(captured) != 1:
        raise RuntimeError(f'expected one call of {what}, got {len(captured)}')
    return captured[0]


def _grid_hw(backbone, images) -> Tuple[int, int]:
    patch = backbone.patch_size
    return math.ceil(images.shape[-2] / patch), math.ceil(images.shape[-1] / patch)


@torch.no_grad()
def cls_attention(backbone: torch.nn.Module, images: torch.Tensor, block_index: int = -1) -> ClsAttention:
    """Run ``backbone`` (an :class:`EVAViT` or a :class:`CLIPViT` with a class token) on ``images`` (B, 3, H, W,
    normalised) and return the [CLS] token's attention in block ``block_index`` (default: the last block)."""
    if getattr(backbone, 'cls_token', True) is None:
        raise ValueError(f'{type(backbone).__name__} has no class token: use pooled_attention (its attention '
                         'pool\'s query)')
    attn = backbone.blocks[block_index].attn
    args = _captured_input(attn, backbone, images, f'block {block_index}\'s attention')
    return ClsAttention(attention_weights(attn, *args)[:, :, 0], _grid_hw(backbone, images),
                        num_prefix_tokens=getattr(backbone, 'num_extra_tokens', 1))


@torch.no_grad()
def pooled_attention(backbone: torch.nn.Module, images: torch.Tensor, block_index: int = -1) -> ClsAttention:
    """The attention of what ``out_type='pooled'`` reads: the [CLS] row of block ``block_index`` for towers with
    a class token (:func:`cls_attention`), the attention pool's latent query over the final tokens for those
    without (SigLIP: ``block_index`` does not apply, the pool follows the last block)."""
    pool = getattr(backbone, 'attn_pool', None)
    if pool is None:
        return cls_attention(backbone, images, block_index)
    if block_index != -1:
        raise ValueError(f'block_index={block_index}: {type(backbone).__name__} pools by attention after its last '
                         'block, so its pooled attention has no block to choose')
    out_type = backbone.out_type
    backbone.out_type = 'pooled'  # the pool runs only for the pooled output
    try:
        (tokens, ) = _captured_input(pool, backbone, images, 'the attention pool')
    finally:
        backbone.out_type = out_type
    return ClsAttention(pool_attention_weights(pool, tokens)[:, :, 0], _grid_hw(backbone, images),
                        num_prefix_tokens=backbone.num_extra_tokens)
