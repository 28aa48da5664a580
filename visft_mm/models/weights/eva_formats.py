"""EVA-CLIP vision weights in and out of :class:`EVAViT`'s layout.

Formats (detected from the keys):

============  =========================  ==============================================================
format        visual-tower prefix        where it comes from
============  =========================  ==============================================================
``eva_clip``  ``visual.``                the original EVA-CLIP ``.pt`` (text tower beside it)
``open_clip`` ``visual.trunk.``          open_clip's timm-backed EVA models
``timm``      (none)                     ``eva_giant_patch14_clip_224``, ``eva02_enormous_patch14_clip_224``
``lavis``     (none, no final norm)      LAVIS / BLIP-2 ``eva_vit_g.pth``
``visft_mm``  (none, split q/k/v)        our own backbone state dict
============  =========================  ==============================================================

All but ``visft_mm`` fuse q/k/v in ``attn.qkv.weight`` with ``attn.q_bias``/``attn.v_bias`` (k has no bias).
"""
import re
from typing import Dict, Iterable, Optional, Tuple

import torch
from mmengine.logging import MMLogger
from mmpretrain.models.utils import resize_pos_embed

from visft_mm.checkpoint.io import load_checkpoint_file
from visft_mm.checkpoint.keys import key_diff
from .lora import plain_state

FORMATS = ('eva_clip', 'open_clip', 'timm', 'lavis', 'visft_mm')
PREFIXES = dict(eva_clip='visual.', open_clip='visual.trunk.', timm='', lavis='', visft_mm='')
WRAPPER_KEYS = ('state_dict', 'model', 'module')
_QKV = re.compile(r'^(blocks\.\d+\.attn\.)(qkv\.weight|qkv\.bias|q_bias|v_bias)$')


class CheckpointFormatError(ValueError):
    """A file that is not a usable EVA-CLIP vision checkpoint; the message names the file and the keys."""


def read_checkpoint(path: str) -> dict:
    """A checkpoint's state dict (a local file or an ``http(s)://`` URL, read weights-only and memory-mapped:
    :func:`visft_mm.checkpoint.io.load_checkpoint_file`), unwrapped from ``state_dict`` / ``model`` / ``module``."""
    try:
        obj = load_checkpoint_file(path, mmap=True)
    except FileNotFoundError:
        raise
    except (ValueError, OSError) as e:  # pickle (refused globals, code), zip, download errors
        raise CheckpointFormatError(str(e)) from e
    return unwrap_state_dict(obj, path)


def unwrap_state_dict(obj, source: str = '<state dict>') -> dict:
    while isinstance(obj, dict):
        wrapper = next((k for k in WRAPPER_KEYS if k in obj and isinstance(obj[k], dict)), None)
        if wrapper is None or any(isinstance(v, torch.Tensor) for v in obj.values()):
            break
        obj = obj[wrapper]
    if not isinstance(obj, dict) or not any(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointFormatError(f'{source!r} holds no state dict of tensors (got {type(obj).__name__})')
    return obj


def detect_format(state_dict: dict, source: str = '<state dict>') -> str:
    if 'visual.trunk.pos_embed' in state_dict:
        return 'open_clip'
    if 'visual.pos_embed' in state_dict:
        return 'eva_clip'
    if 'pos_embed' in state_dict:
        if 'blocks.0.attn.q_proj.weight' in state_dict or 'blocks.0.attn.q_proj.base_layer.weight' in state_dict:
            return 'visft_mm'
        return 'timm' if 'norm.weight' in state_dict else 'lavis'
    sample = ', '.join(sorted(state_dict)[:5])
    raise CheckpointFormatError(
        f'{source!r} is not an EVA-CLIP vision checkpoint: no pos_embed under any of the prefixes '
        f'{sorted(set(PREFIXES.values()) - {""})} or at the top level (first keys: {sample})')


def visual_tower(state_dict: dict, fmt: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
    """Split into (the vision trunk with the prefix removed, everything else)."""
    prefix = PREFIXES[fmt]
    trunk, rest = {}, {}
    for key, value in state_dict.items():
        if key.startswith(prefix):
            trunk[key[len(prefix):]] = value
        else:
            rest[key] = value
    return trunk, rest


def split_qkv(trunk: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Fused EVA layout -> EVAViT layout: ``qkv`` into ``q_proj``/``k_proj``/``v_proj``, ``patch_embed.proj``."""
    out = {}
    for key, value in trunk.items():
        match = _QKV.match(key)
        if key.startswith('patch_embed.proj.'):
            out[key.replace('patch_embed.proj.', 'patch_embed.projection.')] = value
        elif match is None:
            out[key] = value
        else:
            block, name = match.groups()
            if name == 'qkv.weight':
                q, k, v = value.chunk(3, dim=0)
                out.update({f'{block}q_proj.weight': q, f'{block}k_proj.weight': k, f'{block}v_proj.weight': v})
            elif name == 'qkv.bias':  # timm models with qkv_bias_separate=False; k's slice is zero in EVA
                q, _, v = value.chunk(3, dim=0)
                out.update({f'{block}q_proj.bias': q, f'{block}v_proj.bias': v})
            else:
                out[f'{block}{name[0]}_proj.bias'] = value
    return out


def fuse_qkv(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """EVAViT layout -> fused EVA layout (inverse of :func:`split_qkv`)."""
    out = {}
    for key, value in state.items():
        if key.startswith('patch_embed.projection.'):
            out[key.replace('patch_embed.projection.', 'patch_embed.proj.')] = value
        elif re.search(r'\.attn\.[qkv]_proj\.', key):
            block, rest = key.split('.attn.', 1)
            if rest == 'q_proj.weight':
                out[f'{block}.attn.qkv.weight'] = torch.cat(
                    [state[f'{block}.attn.{n}_proj.weight'] for n in 'qkv'], dim=0)
            elif rest in ('q_proj.bias', 'v_proj.bias'):
                out[f'{block}.attn.{rest[0]}_bias'] = value
        else:
            out[key] = value
    return out


def convert_to_evavit(state_dict: dict, source: str = '<state dict>',
                      fmt: Optional[str] = None) -> Tuple[Dict[str, torch.Tensor], str]:
    """Any supported layout -> EVAViT's plain (LoRA-free) keys.  Returns (state dict, detected format)."""
    fmt = fmt or detect_format(state_dict, source)
    if fmt not in FORMATS:
        raise CheckpointFormatError(f'unknown checkpoint format {fmt!r}; choose one of {FORMATS}')
    trunk, _ = visual_tower(state_dict, fmt)
    if fmt == 'visft_mm':
        return plain_state(trunk), fmt
    return split_qkv(trunk), fmt


def load_eva_weights(model, path_or_state, allow_missing: Iterable[str] = (),
                     allow_unexpected: Iterable[str] = ('head.*', 'fc_norm.*'), fmt: Optional[str] = None,
                     logger=None) -> str:
    """Load EVA-CLIP vision weights in any supported format into ``model`` (an :class:`EVAViT`), strictly.

    Keys outside the vision tower (a CLIP text tower, ``logit_scale``) are ignored; inside it, a key the model
    lacks or a model weight the file lacks is an error unless it matches a pattern of ``allow_unexpected`` /
    ``allow_missing`` (``fnmatch`` patterns on EVAViT key names, e.g. ``'norm.*'`` for LAVIS files, which have
    no final norm).  Shape mismatches are always errors.  A position embedding learnt for another size is
    resized to the model's.  LoRA weights in the model are left alone.  Returns the detected format.
    """
    logger = logger or MMLogger.get_current_instance()
    if isinstance(path_or_state, str):
        source, state_dict = path_or_state, read_checkpoint(path_or_state)
    else:
        source, state_dict = '<state dict>', unwrap_state_dict(path_or_state)
    converted, fmt = convert_to_evavit(state_dict, source, fmt)
    expected = plain_state(model.state_dict())

    if 'pos_embed' in converted and 'pos_embed' in expected \
            and converted['pos_embed'].shape != expected['pos_embed'].shape:
        old, grid = (int(round((t.shape[1] - 1) ** 0.5)) for t in (converted['pos_embed'], expected['pos_embed']))
        logger.info(f'{source}: resizing pos_embed {tuple(converted["pos_embed"].shape)} to grid {grid}')
        # EVA's interpolate_pos_embed is this plain bicubic (align_corners=False) on the patch part
        converted['pos_embed'] = resize_pos_embed(converted['pos_embed'], (old, old), (grid, grid))

    diff = key_diff(converted, expected, allow_missing, allow_unexpected)
    if diff:
        raise CheckpointFormatError(
            f'{source!r} ({fmt} format) does not fit EVAViT(embed_dims={model.embed_dims}, '
            f'num_layers={len(model.blocks)}): {diff}')
    loadable = {k: v for k, v in converted.items() if k in expected}
    model.load_state_dict(loadable, strict=False)  # LoRA weights are the only keys left out
    logger.info(f'loaded {len(loadable)} EVAViT tensors from {source} ({fmt} format)')
    return fmt


def export_state_dict(plain_state: Dict[str, torch.Tensor], fmt: str,
                      template: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """EVAViT plain keys -> ``fmt``'s layout.  With ``template`` (a full checkpoint of that format), its other
    entries (text tower, projection head, ...) are kept and only the vision trunk is replaced."""
    if fmt not in FORMATS:
        raise CheckpointFormatError(f'unknown checkpoint format {fmt!r}; choose one of {FORMATS}')
    body = dict(plain_state) if fmt == 'visft_mm' else fuse_qkv(plain_state)
    if fmt == 'lavis':
        body = {k: v for k, v in body.items() if not k.startswith('norm.')}
    out = dict(template) if template is not None else {}
    out.update({PREFIXES[fmt] + k: v for k, v in body.items()})  # same names as the template's trunk keys
    return out


# ---------------------------------------------------------------------------------------------- official ViSFT LoRA
# The released ViSFT LoRA (loralib ``MergedLinear`` on the fused qkv, enable_lora=[True, False, True]) stores per
# block ``visual.blocks.N.attn.qkv.lora_A`` [2r, D] (rows :r for q, r: for v) and ``lora_B`` [2D, r] (rows :D for
# q, D: for v); the update is ``B @ A * alpha / r`` with alpha = 1.  Reading it: visft_mm.models.weights.lora_files.


def peft_lora_to_official(lora_state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """EVAViT's peft LoRA weights -> the official ViSFT layout (read back by
    :mod:`visft_mm.models.weights.lora_files`)."""
    out = {}
    blocks = sorted({int(k.split('.')[1]) for k in lora_state if k.startswith('blocks.')})
    for block in blocks:
        for which in 'AB':
            q = lora_state[f'blocks.{block}.attn.q_proj.lora_{which}.default.weight']
            v = lora_state[f'blocks.{block}.attn.v_proj.lora_{which}.default.weight']
            out[f'visual.blocks.{block}.attn.qkv.lora_{which}'] = torch.cat([q, v], dim=0)
    return out
