"""Other CLIP vision towers for ViSFT: EVA02-CLIP-L/14, OpenAI CLIP ViT-L/14, SigLIP So400m/14.

Why a subclass of :class:`~.eva_vit.EVAViT` with per-family block options, and not a wrapper around timm's or
open_clip's towers: those fuse q/k/v (timm ``Attention.qkv``, open_clip ``nn.MultiheadAttention.in_proj_weight``),
so a peft LoRA could only adapt all three rows.  Every family here has the same :class:`CLIPAttention` (q, k, v as
three ``nn.Linear``), so ``lora=dict(targets=('q_proj', 'v_proj'))`` is one mechanism for all, and everything
EVAViT has (peft LoRA, ``frozen``, ``frozen_dtype``, ``with_cp``, the ``EVAPretrained`` initializer, the LoRA files,
the ViSFT model, the probes) applies unchanged.  The parts that are not attention are timm's own layers: ``Mlp``,
``SwiGLU`` (EVA02's MLP with its inner norm), ``RotaryEmbeddingCat`` / ``apply_rot_embed_cat`` (EVA02's rotary
position embedding), ``AttentionPoolLatent`` (SigLIP's ``map`` head) and ``QuickGELU``.

What each family differs in is one row of :attr:`CLIPViT.arch_zoo`; the weight layouts it reads and writes (open_clip
and timm, fused q/k/v split at load) are in :mod:`.clip_vit_weights`.
"""
from functools import partial
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from mmcv.cnn.bricks.transformer import PatchEmbed
from mmpretrain.models.utils import resize_pos_embed
from timm.layers import AttentionPoolLatent, Mlp, QuickGELU, RotaryEmbeddingCat, SwiGLU, apply_rot_embed_cat

from visft_mm.registry import MODELS
from . import clip_vit_weights
from .eva_vit import EVAViT

ACTIVATIONS = dict(gelu=nn.GELU, gelu_tanh=partial(nn.GELU, approximate='tanh'), quick_gelu=QuickGELU, silu=nn.SiLU)


class CLIPAttention(nn.Module):
    """Self-attention with q / k / v as three ``nn.Linear`` (the LoRA targets), SDPA, an optional LayerNorm on the
    attention output before ``proj`` (EVA02's sub-LN) and an optional rotary embedding of the patch tokens (the
    class token, if any, is left unrotated, as in EVA02)."""

    def __init__(self, embed_dims: int, num_heads: int, k_bias: bool, inner_norm: Optional[nn.Module],
                 num_prefix_tokens: int):
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims {embed_dims} is not divisible by num_heads {num_heads}')
        self.num_heads = num_heads
        self.num_prefix_tokens = num_prefix_tokens
        self.q_proj = nn.Linear(embed_dims, embed_dims)
        self.k_proj = nn.Linear(embed_dims, embed_dims, bias=k_bias)
        self.v_proj = nn.Linear(embed_dims, embed_dims)
        self.norm = inner_norm if inner_norm is not None else nn.Identity()
        self.proj = nn.Linear(embed_dims, embed_dims)

    def qkv(self, x: torch.Tensor, rope: Optional[torch.Tensor] = None):
        """(q, k, v), each (B, heads, N, head_dim), q and k rotated: what SDPA is given (and Fig. 3 recomputes)."""
        B, N, C = x.shape
        q, k, v = (proj(x).view(B, N, self.num_heads, C // self.num_heads).transpose(1, 2)
                   for proj in (self.q_proj, self.k_proj, self.v_proj))
        if rope is not None:
            n = self.num_prefix_tokens
            q = torch.cat([q[:, :, :n], apply_rot_embed_cat(q[:, :, n:], rope)], dim=2).type_as(v)
            k = torch.cat([k[:, :, :n], apply_rot_embed_cat(k[:, :, n:], rope)], dim=2).type_as(v)
        return q, k, v

    def forward(self, x: torch.Tensor, rope: Optional[torch.Tensor] = None) -> torch.Tensor:
        B, N, C = x.shape
        x = F.scaled_dot_product_attention(*self.qkv(x, rope)).transpose(1, 2).reshape(B, N, C)
        return self.proj(self.norm(x))


class CLIPBlock(nn.Module):
    """Pre-norm block ``x + attn(norm1(x)); x + mlp(norm2(x))`` (every family here is pre-norm)."""

    def __init__(self, arch: dict, drop_path: float, num_prefix_tokens: int):
        super().__init__()
        dims, norm = arch['embed_dims'], partial(nn.LayerNorm, eps=arch['norm_eps'])
        self.norm1 = norm(dims)
        self.attn = CLIPAttention(dims, arch['num_heads'], arch['k_bias'], norm(dims) if arch['attn_norm'] else None,
                                  num_prefix_tokens)
        self.norm2 = norm(dims)
        act = ACTIVATIONS[arch['act']]
        if arch['mlp'] == 'swiglu':  # timm's SwiGLU: fc1_g, fc1_x, act, norm (EVA02's inner norm), fc2
            self.mlp = SwiGLU(dims, arch['feedforward_channels'], act_layer=act, norm_layer=norm)
        else:
            self.mlp = Mlp(dims, arch['feedforward_channels'], act_layer=act)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor, rope: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x), rope))
        return x + self.drop_path(self.mlp(self.norm2(x)))


def _family(**kw) -> dict:
    return dict(dict(post_norm=False, mlp='mlp', act='gelu', k_bias=True, attn_norm=False, rope=False,
                     class_token=True, norm_pre=False, pool='token', norm_eps=1e-6, patch_bias=True,
                     pool_mlp_ratio=None), **kw)


_EVA02 = dict(mlp='swiglu', act='silu', k_bias=False, attn_norm=True, rope=True, weights='timm_eva')
_OPENAI = dict(act='quick_gelu', norm_pre=True, norm_eps=1e-5, patch_bias=False, weights='open_clip_vit')
# timm's (and so open_clip's) SigLIP uses exact GELU; big_vision / Hugging Face use the tanh form: act='gelu_tanh'
_SIGLIP = dict(act='gelu', class_token=False, pool='map', weights='timm_vit')


@MODELS.register_module()
class CLIPViT(EVAViT):
    """A CLIP vision tower of one of the families of :attr:`arch_zoo` (patch 14, 224-px position embedding, any
    input size), with EVAViT's LoRA / freezing / storage options (see :class:`~.eva_vit.EVAViT` for ``lora``,
    ``frozen``, ``frozen_dtype``, ``with_cp``, ``out_indices``, ``final_norm``).

    ``out_type``: ``'featmap'`` (B, C, H/14, W/14: the patch tokens, what the stage-1 heads read), ``'pooled'``
    (B, C: the image feature CLIP projects: the class token after the final norm, or SigLIP's attention-pool
    ``map`` head over the normed patch tokens), ``'cls_token'`` (families with a class token only), ``'raw'``
    (B, tokens, C).

    ``init_cfg=dict(type='EVAPretrained', checkpoint=FILE, lora=None)`` loads the family's open_clip or timm file
    strictly (:mod:`.clip_vit_weights`); the zero-shot model reads the projection and text tower from the same
    file.
    """

    arch_zoo = {
        'eva02-l': _family(embed_dims=1024, num_layers=24, num_heads=16, feedforward_channels=2730, **_EVA02),
        'openai-l': _family(embed_dims=1024, num_layers=24, num_heads=16, feedforward_channels=4096, **_OPENAI),
        'siglip-so400m': _family(embed_dims=1152, num_layers=27, num_heads=16, feedforward_channels=4304,
                                 pool_mlp_ratio=3.7362, **_SIGLIP),
        # the same structures, small, for tests and demos (visft_mm.testing.clip_families builds open_clip twins)
        'eva02-tiny': _family(embed_dims=64, num_layers=2, num_heads=2, feedforward_channels=170, **_EVA02),
        'openai-tiny': _family(embed_dims=64, num_layers=2, num_heads=2, feedforward_channels=256, **_OPENAI),
        'siglip-tiny': _family(embed_dims=64, num_layers=2, num_heads=2, feedforward_channels=239,
                               pool_mlp_ratio=3.7362, **_SIGLIP),
    }
    out_types = ('featmap', 'pooled', 'cls_token', 'raw')

    def __init__(self, arch: str = 'eva02-l', out_type: str = 'featmap', **kwargs):
        super().__init__(arch=arch, out_type=out_type, **kwargs)
        if out_type == 'cls_token' and not self.arch['class_token']:
            raise ValueError(f'CLIPViT arch {arch!r} has no class token: use out_type=\'pooled\' (its attention-pool '
                             'head), the feature SigLIP projects')

    @classmethod
    def _parse_arch(cls, arch):
        if isinstance(arch, str):
            if arch not in cls.arch_zoo:
                raise ValueError(f'unknown CLIPViT arch {arch!r}; choose one of {sorted(cls.arch_zoo)} (EVA01-g / '
                                 'EVA02-E are EVAViT archs), or pass a dict with the keys of one of them')
            return dict(cls.arch_zoo[arch])
        base = cls.arch_zoo.get(arch.get('base')) if isinstance(arch, dict) else None
        if base is None:
            raise ValueError(f'a custom CLIPViT arch is a dict naming a family to start from, e.g. '
                             f"dict(base='siglip-so400m', act='gelu_tanh'); bases: {sorted(cls.arch_zoo)}; "
                             f'got {arch!r}')
        unknown = set(arch) - set(base) - {'base'}
        if unknown:
            raise ValueError(f'CLIPViT arch {arch!r}: unknown keys {sorted(unknown)}; known: {sorted(base)}')
        return dict(base, **{k: v for k, v in arch.items() if k != 'base'})

    # ------------------------------------------------------------------ building (EVAViT's hooks)
    @property
    def num_extra_tokens(self) -> int:
        return int(self.arch['class_token'])

    def _norm(self) -> nn.Module:
        return nn.LayerNorm(self.embed_dims, eps=self.arch['norm_eps'])

    def _build_stem(self, in_channels: int) -> None:
        a, dims = self.arch, self.embed_dims
        if a['act'] not in ACTIVATIONS or a['mlp'] not in ('mlp', 'swiglu') or a['pool'] not in ('token', 'map'):
            raise ValueError(f'CLIPViT arch: act must be one of {sorted(ACTIVATIONS)}, mlp "mlp" or "swiglu", pool '
                             f'"token" or "map"; got act={a["act"]!r}, mlp={a["mlp"]!r}, pool={a["pool"]!r}')
        if a['pool'] == 'token' and not a['class_token']:
            raise ValueError('CLIPViT arch: pool="token" needs class_token=True')
        self.patch_embed = PatchEmbed(in_channels=in_channels, embed_dims=dims, conv_type='Conv2d',
                                      kernel_size=self.patch_size, stride=self.patch_size, padding='corner',
                                      bias=a['patch_bias'])
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dims)) if a['class_token'] else None
        self.pos_embed = nn.Parameter(torch.zeros(1, self.num_extra_tokens + self.pretrain_grid ** 2, dims))
        self.norm_pre = self._norm() if a['norm_pre'] else nn.Identity()
        # EVA02's rope: axial sin/cos bands of the patch grid, frequencies referred to the 224-px grid
        self.rope = RotaryEmbeddingCat(dims // a['num_heads'], in_pixels=False,
                                       ref_feat_shape=(self.pretrain_grid,) * 2) if a['rope'] else None

    def _build_block(self, drop_path: float) -> nn.Module:
        return CLIPBlock(self.arch, drop_path, self.num_extra_tokens)

    def _build_final(self) -> None:
        self.norm = self._norm()
        self.attn_pool = AttentionPoolLatent(
            self.embed_dims, num_heads=self.arch['num_heads'], mlp_ratio=self.arch['pool_mlp_ratio'],
            norm_layer=partial(nn.LayerNorm, eps=self.arch['norm_eps']),
            act_layer=ACTIVATIONS[self.arch['act']]) if self.arch['pool'] == 'map' else None
        if self.attn_pool is not None:
            # mmengine's init_weights calls every child's init_weights after the initializer has loaded the file:
            # timm's would redraw the pool's latent query.  We call it ourselves, for random init only.
            self.attn_pool.is_init = True

    def init_weights(self):
        if not self._is_init and not self.init_cfg:
            nn.init.trunc_normal_(self.pos_embed, std=0.02)
            if self.cls_token is not None:
                nn.init.trunc_normal_(self.cls_token, std=0.02)
            if self.attn_pool is not None:
                self.attn_pool.init_weights()
        super(EVAViT, self).init_weights()

    # ------------------------------------------------------------------ forward
    def resized_pos_embed(self, grid_hw) -> torch.Tensor:
        side = self.pretrain_grid
        return resize_pos_embed(self.pos_embed, (side, side), tuple(grid_hw), mode='bicubic',
                                num_extra_tokens=self.num_extra_tokens)

    def _forward(self, x: torch.Tensor):
        B = x.shape[0]
        x, grid_hw = self.patch_embed(x)
        if self.cls_token is not None:
            x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1)
        x = self.norm_pre(x + self.resized_pos_embed(grid_hw))
        rope = self.rope.get_embed(shape=list(grid_hw)) if self.rope is not None else None
        return self._run_blocks(x, grid_hw, rope)

    def _format(self, x: torch.Tensor, grid_hw) -> torch.Tensor:
        if self.out_type == 'raw':
            return x
        if self.out_type == 'pooled' and self.attn_pool is not None:
            return self.attn_pool(x)
        if self.out_type in ('pooled', 'cls_token'):
            return x[:, 0]
        B, _, C = x.shape
        return x[:, self.num_extra_tokens:].transpose(1, 2).reshape(B, C, *grid_hw)

    # ------------------------------------------------------------------ weights (EVAViT's loader / exporter call them)
    def convert_checkpoint(self, state_dict: dict, source: str = '<state dict>',
                           fmt: Optional[str] = None) -> tuple:
        """A file's vision trunk in this family's open_clip / timm / visft_mm layout -> our plain keys."""
        return clip_vit_weights.to_clip_vit(state_dict, self.arch['weights'], source, fmt)

    def export_checkpoint(self, plain_state: Dict[str, torch.Tensor], fmt: str,
                          template: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Our plain keys -> this family's ``fmt`` layout (``'open_clip'``, ``'timm'``, ``'visft_mm'``)."""
        return clip_vit_weights.from_clip_vit(plain_state, self.arch['weights'], fmt, template)

    def split_clip_state(self, state_dict: dict, source: str = '<state dict>') -> dict:
        """A full open_clip checkpoint of this family -> its projection, text tower and logit scale / bias."""
        return clip_vit_weights.split_clip_state(state_dict, self.arch['weights'], source)

    def build_clip_projection(self, embed_dim: int) -> nn.Module:
        """The module open_clip puts between :attr:`out_type` ``'pooled'`` and the CLIP embedding."""
        return clip_vit_weights.build_projection(self.arch['weights'], self.embed_dims, embed_dim)

    def extra_repr(self) -> str:
        a = self.arch
        return (f'embed_dims={a["embed_dims"]}, num_layers={a["num_layers"]}, num_heads={a["num_heads"]}, '
                f'mlp={a["mlp"]}, act={a["act"]}, rope={a["rope"]}, pool={a["pool"]}, lora={self.lora_cfg}, '
                f'frozen={self.frozen}')
