"""EVA-CLIP vision transformer with separate q/k/v projections, so that peft can put LoRA on q and v alone.

The original weights fuse q, k and v into one ``qkv`` matrix (with ``q_bias``/``v_bias`` and no k bias) and the
EVA/timm attention calls ``F.linear(x, self.qkv.weight, ...)``, which both hides a peft-wrapped ``qkv`` and makes a
LoRA on the q and v slices impossible.  Here q/k/v are three ``nn.Linear`` (k without bias);
:mod:`visft_mm.models.weights.eva_formats` splits and re-fuses them when loading and exporting.
"""
import contextlib
import inspect
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as cp
from mmcv.cnn.bricks import DropPath
from mmcv.cnn.bricks.transformer import PatchEmbed
from mmengine.model import BaseModule
from mmpretrain.models.utils import resize_pos_embed

from visft_mm.registry import MODELS
from ..weights.lora import add_base_layer_keys, inject_lora

LORA_DEFAULT_TARGETS = inspect.signature(inject_lora).parameters['targets'].default


class EVAAttention(nn.Module):
    """Multi-head self-attention with q (bias), k (no bias), v (bias) projections and SDPA."""

    def __init__(self, embed_dims: int, num_heads: int):
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims {embed_dims} is not divisible by num_heads {num_heads}')
        self.num_heads = num_heads
        self.q_proj = nn.Linear(embed_dims, embed_dims)
        self.k_proj = nn.Linear(embed_dims, embed_dims, bias=False)
        self.v_proj = nn.Linear(embed_dims, embed_dims)
        self.proj = nn.Linear(embed_dims, embed_dims)

    def qkv(self, x: torch.Tensor):
        """(q, k, v), each (B, heads, N, head_dim): what SDPA is given (also what Fig. 3's maps recompute)."""
        B, N, C = x.shape
        return tuple(proj(x).view(B, N, self.num_heads, C // self.num_heads).transpose(1, 2)
                     for proj in (self.q_proj, self.k_proj, self.v_proj))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        x = F.scaled_dot_product_attention(*self.qkv(x))
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class EVAMlp(nn.Module):

    def __init__(self, embed_dims: int, feedforward_channels: int):
        super().__init__()
        self.fc1 = nn.Linear(embed_dims, feedforward_channels)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(feedforward_channels, embed_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class EVABlock(nn.Module):
    """Pre-norm ``x + f(norm(x))`` (EVA-01 g) or post-norm ``x + norm(f(x))`` (EVA-02 E) transformer block."""

    def __init__(self, embed_dims: int, num_heads: int, feedforward_channels: int, post_norm: bool,
                 drop_path: float = 0.0):
        super().__init__()
        self.post_norm = post_norm
        self.norm1 = nn.LayerNorm(embed_dims, eps=1e-6)
        self.attn = EVAAttention(embed_dims, num_heads)
        self.norm2 = nn.LayerNorm(embed_dims, eps=1e-6)
        self.mlp = EVAMlp(embed_dims, feedforward_channels)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.post_norm:
            x = x + self.drop_path(self.norm1(self.attn(x)))
            return x + self.drop_path(self.norm2(self.mlp(x)))
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


@MODELS.register_module()
class EVAViT(BaseModule):
    """EVA-CLIP vision transformer (patch 14, absolute position embedding for 224 px, any input size).

    Args:
        arch: a key of :attr:`arch_zoo` or a dict with its keys.
        img_size: the pretraining size the position embedding was learnt for.
        out_type: ``'featmap'`` (B, C, H/14, W/14 without the CLS token, what the heads use), ``'cls_token'``
            (B, C), ``'raw'`` (B, 1 + HW, C).
        out_indices: blocks whose output is returned (negative counts from the end).
        final_norm: apply the final LayerNorm to the last block's output.
        frozen: freeze every base weight (stage 1).  Default: frozen exactly when ``lora`` is given;
            ``frozen=False`` with ``lora`` trains both, and has to be asked for.
        lora: ``dict(r=64, alpha=1, dropout=0.0, targets=('q_proj', 'v_proj'))`` injects peft LoRA; then only the
            LoRA weights train.  ``alpha=1`` with ``r=64`` is the reference code's loralib scaling of 1/64.
        with_cp: gradient checkpointing per block (non-reentrant: no trainable input needed).
        frozen_dtype: ``'float32'`` (default) or ``'bfloat16'``: the dtype the frozen weights of the blocks' linear
            layers (q/k/v/proj/fc1/fc2 and the LoRA base layers: >99.9% of the parameters) are stored in.  With
            ``'bfloat16'`` the backbone computes under bf16 autocast whatever the caller does (on CPU too), the
            residual stream, LayerNorms, patch/position embeddings and the LoRA weights stay fp32, and the LoRA
            update is computed and added in bf16 (the compute dtype), as it is under ``--amp`` with fp32 storage.
            Needs ``frozen=True``.  Checkpoints are unaffected: the LoRA is saved in fp32 and loads onto either
            storage (see :func:`~visft_mm.checkpoint.fingerprint.weights_fingerprint`).
        drop_path_rate: stochastic depth, rising linearly to this value over the blocks.
        init_cfg: ``dict(type='EVAPretrained', checkpoint=EVA_CLIP_FILE, lora=None)`` loads the EVA-CLIP weights
            in any layout of :mod:`visft_mm.models.weights.eva_formats` strictly and merges a ViSFT LoRA file
            (:class:`~visft_mm.models.weights.EVAPretrained`).  mmengine's ``Pretrained`` is refused: it loads
            non-strictly and would silently skip an EVA-CLIP file's keys.  Without init_cfg the weights are random
            (EVA's init).
    """

    arch_zoo = {
        'eva-g': dict(embed_dims=1408, num_layers=40, num_heads=16, feedforward_channels=6144, post_norm=False),
        'eva-e': dict(embed_dims=1792, num_layers=64, num_heads=16, feedforward_channels=15360, post_norm=True),
        # small archs with the same structure, for tests and the demo
        'tiny': dict(embed_dims=192, num_layers=4, num_heads=3, feedforward_channels=768, post_norm=False),
        'tiny-post': dict(embed_dims=192, num_layers=4, num_heads=3, feedforward_channels=768, post_norm=True),
    }
    out_types = ('featmap', 'cls_token', 'raw')
    frozen_dtypes = {'float32': torch.float32, 'bfloat16': torch.bfloat16}
    patch_size = 14

    def __init__(self,
                 arch: Union[str, dict] = 'eva-g',
                 img_size: int = 224,
                 in_channels: int = 3,
                 out_type: str = 'featmap',
                 out_indices: Union[int, Sequence[int]] = -1,
                 final_norm: bool = True,
                 frozen: Optional[bool] = None,
                 lora: Optional[dict] = None,
                 with_cp: bool = False,
                 drop_path_rate: float = 0.0,
                 frozen_dtype: str = 'float32',
                 init_cfg: Optional[dict] = None):
        for cfg in init_cfg if isinstance(init_cfg, list) else [init_cfg]:
            if isinstance(cfg, dict) and cfg.get('type') in ('Pretrained', 'mmengine.Pretrained'):
                raise ValueError(
                    f"EVAViT: init_cfg={cfg} loads non-strictly and knows no EVA-CLIP layout; use "
                    f"init_cfg=dict(type='EVAPretrained', checkpoint={cfg.get('checkpoint')!r}, lora=None) "
                    "(type='visft_mm.EVAPretrained' from another project's scope)")
        super().__init__(init_cfg=init_cfg)
        self.arch = self._parse_arch(arch)
        embed_dims, num_layers = self.arch['embed_dims'], self.arch['num_layers']
        if out_type not in self.out_types:
            raise ValueError(f'out_type must be one of {self.out_types}, got {out_type!r}')
        self.out_type = out_type
        self.embed_dims = embed_dims
        self.pretrain_grid = img_size // self.patch_size
        self.out_indices = self._parse_out_indices(out_indices, num_layers)
        self.final_norm = final_norm
        self.with_cp = with_cp

        self._build_stem(in_channels)
        rates = [drop_path_rate * i / max(num_layers - 1, 1) for i in range(num_layers)]
        self.frozen_dtype = self._frozen_storage_dtype(frozen_dtype, frozen)
        # each block goes to its storage dtype as soon as it is built (no fp32 copy of the whole model ever
        # exists), except the LoRA targets: they are cast after the injection, so the LoRA starts in fp32
        lora_targets = tuple(lora.get('targets', LORA_DEFAULT_TARGETS)) if lora else ()
        self.blocks = nn.ModuleList(
            self._cast_frozen_linears(self._build_block(rate), skip=lora_targets) for rate in rates)
        self._build_final()

        self.lora_cfg = dict(lora) if lora else None
        self.frozen = frozen = bool(lora) if frozen is None else frozen
        if self.lora_cfg:
            inject_lora(self, **self.lora_cfg)  # also freezes every non-LoRA weight
        for name, param in self.named_parameters():
            param.requires_grad_(not frozen or '.lora_' in name)
        self._cast_frozen_linears(self.blocks)
        # Plain checkpoints (EVA-CLIP, timm, ours without LoRA) load into the LoRA-wrapped layers.
        self._register_load_state_dict_pre_hook(self._load_plain_keys_into_lora)

    # the three builders below are what a subclass with other blocks overrides (CLIPViT: EVA02-L, OpenAI, SigLIP)
    def _build_stem(self, in_channels: int) -> None:
        """Patch embedding, class token and the 224-px position embedding."""
        embed_dims = self.embed_dims
        self.patch_embed = PatchEmbed(in_channels=in_channels, embed_dims=embed_dims, conv_type='Conv2d',
                                      kernel_size=self.patch_size, stride=self.patch_size, padding='corner')
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + self.pretrain_grid ** 2, embed_dims))

    def _build_block(self, drop_path: float) -> nn.Module:
        return EVABlock(self.embed_dims, self.arch['num_heads'], self.arch['feedforward_channels'],
                        self.arch['post_norm'], drop_path)

    def _build_final(self) -> None:
        self.norm = nn.LayerNorm(self.embed_dims, eps=1e-6)

    @classmethod
    def _parse_arch(cls, arch):
        if isinstance(arch, str):
            if arch not in cls.arch_zoo:
                raise ValueError(f'unknown EVAViT arch {arch!r}; choose one of {sorted(cls.arch_zoo)} '
                                 'or pass a dict with keys embed_dims, num_layers, num_heads, '
                                 'feedforward_channels, post_norm')
            return dict(cls.arch_zoo[arch])
        required = {'embed_dims', 'num_layers', 'num_heads', 'feedforward_channels'}
        if not isinstance(arch, dict) or not required <= set(arch):
            raise ValueError(f'a custom EVAViT arch must be a dict with keys {sorted(required)} '
                             f'(and optionally post_norm), got {arch!r}')
        return dict(dict(post_norm=False), **arch)

    @classmethod
    def _frozen_storage_dtype(cls, name: str, frozen: bool) -> torch.dtype:
        if name not in cls.frozen_dtypes:
            raise ValueError(f'frozen_dtype must be one of {sorted(cls.frozen_dtypes)}, got {name!r}')
        if cls.frozen_dtypes[name] != torch.float32 and not frozen:
            raise ValueError(f'frozen_dtype={name!r} stores the base weights without an fp32 master copy, so they '
                             'cannot train: it needs frozen=True')
        return cls.frozen_dtypes[name]

    def _cast_frozen_linears(self, module: nn.Module, skip: Sequence[str] = ()) -> nn.Module:
        """Store the frozen ``nn.Linear`` layers of ``module`` (not the LoRA, nor those named in ``skip``) in
        ``self.frozen_dtype``; a checkpoint loaded later is copied into them, rounding to that dtype."""
        if self.frozen_dtype != torch.float32:
            for name, layer in module.named_modules():
                parts = name.split('.')
                if isinstance(layer, nn.Linear) and not any(p.startswith('lora_') or p in skip for p in parts):
                    layer.to(self.frozen_dtype)
        return module

    def compute_autocast(self, device_type: str):
        """Autocast to the storage dtype when the frozen weights are not fp32; else no context at all (an
        ``autocast(enabled=False)`` would switch off the caller's ``--amp``)."""
        if self.frozen_dtype == torch.float32:
            return contextlib.nullcontext()
        return torch.autocast(device_type, dtype=self.frozen_dtype)

    @staticmethod
    def _parse_out_indices(out_indices, num_layers):
        indices = [out_indices] if isinstance(out_indices, int) else list(out_indices)
        parsed = []
        for index in indices:
            if not -num_layers <= index < num_layers:
                raise ValueError(f'out_index {index} is out of range for {num_layers} layers')
            parsed.append(index % num_layers)
        return tuple(parsed)

    def init_weights(self):
        if not self._is_init and not self.init_cfg:  # EVA's random init; an init_cfg loads every weight
            nn.init.trunc_normal_(self.pos_embed, std=0.02)
            nn.init.trunc_normal_(self.cls_token, std=0.02)
        super().init_weights()

    def _load_plain_keys_into_lora(self, state_dict, prefix, *args):
        add_base_layer_keys(self, state_dict, prefix)

    def resized_pos_embed(self, grid_hw) -> torch.Tensor:
        """The position embedding for a token grid of ``grid_hw``, bicubically interpolated from 224 px."""
        side = self.pretrain_grid
        return resize_pos_embed(self.pos_embed, (side, side), tuple(grid_hw), mode='bicubic', num_extra_tokens=1)

    def forward(self, x: torch.Tensor):
        with self.compute_autocast(x.device.type):
            return self._forward(x)

    def _forward(self, x: torch.Tensor):
        B = x.shape[0]
        x, grid_hw = self.patch_embed(x)  # pads the image to a multiple of 14 at the bottom/right
        x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1) + self.resized_pos_embed(grid_hw)
        return self._run_blocks(x, grid_hw)

    def _run_blocks(self, x: torch.Tensor, grid_hw, *block_args):
        """The blocks (checkpointed with ``with_cp``), the final norm, the ``out_indices`` outputs formatted;
        ``block_args`` go to every block (e.g. a rotary embedding)."""
        outs = []
        last = len(self.blocks) - 1
        for i, block in enumerate(self.blocks):
            if self.with_cp and torch.is_grad_enabled():
                x = cp.checkpoint(block, x, *block_args, use_reentrant=False)
            else:
                x = block(x, *block_args)
            if i == last and self.final_norm:
                x = self.norm(x)
            if i in self.out_indices:
                outs.append(self._format(x, grid_hw))
        return tuple(outs)

    def _format(self, x: torch.Tensor, grid_hw) -> torch.Tensor:
        if self.out_type == 'raw':
            return x
        if self.out_type == 'cls_token':
            return x[:, 0]
        B, _, C = x.shape
        return x[:, 1:].transpose(1, 2).reshape(B, C, *grid_hw)

    def extra_repr(self) -> str:
        a = self.arch
        return (f'embed_dims={a["embed_dims"]}, num_layers={a["num_layers"]}, num_heads={a["num_heads"]}, '
                f'post_norm={a["post_norm"]}, lora={self.lora_cfg}, frozen={self.frozen}, '
                f'frozen_dtype={str(self.frozen_dtype).replace("torch.", "")}')

