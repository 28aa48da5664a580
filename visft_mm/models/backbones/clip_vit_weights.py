"""The weight layouts of :class:`~.clip_vit_families.CLIPViT`'s families, in and out.

Each arch row names its ``weights`` layout family:

* ``timm_eva`` (EVA02-L): open_clip file ``visual.trunk.`` + timm ``eva02_large_patch14_clip_224`` keys (q/k/v
  already separate); timm file: those keys alone; CLIP projection ``visual.trunk.head`` (Linear with bias).
* ``open_clip_vit`` (OpenAI L/14): open_clip file ``visual.`` + open_clip's own names (``conv1``, ``ln_pre``,
  ``transformer.resblocks.N.attn.in_proj_weight``, ``ln_post``); timm file: ``vit_large_patch14_clip_quickgelu_224``
  keys (fused ``qkv`` with bias, ``norm_pre``, ``head`` = ``proj.T`` with a zero bias); projection ``visual.proj``
  (D x E, no bias).
* ``timm_vit`` (SigLIP): open_clip file ``visual.trunk.`` + timm ``vit_so400m_patch14_siglip_224`` keys (fused
  ``qkv``, ``attn_pool.*``); timm file: those keys alone; no projection (the ``map`` pool's output is the embedding).

Our own (``visft_mm``) layout is timm's names with q/k/v split (``blocks.N.attn.{q,k,v}_proj``) and mmcv's
``patch_embed.projection``.  Fused weights are split at load and fused again at export, so a file round-trips.
"""
import re
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn

from ..weights.eva_formats import CheckpointFormatError
from ..weights.lora import plain_state

FORMATS = ('open_clip', 'timm', 'visft_mm')
OPEN_CLIP_PREFIXES = dict(timm_eva='visual.trunk.', timm_vit='visual.trunk.', open_clip_vit='visual.')
FUSED_QKV = dict(timm_eva=False, timm_vit=True, open_clip_vit=True)
# open_clip's text-tower keys: under ``text.`` (CustomTextCLIP) or at the top level (CLIP)
TEXT_TOP_LEVEL = ('token_embedding.', 'positional_embedding', 'transformer.', 'ln_final.', 'text_projection')

# open_clip's own VisionTransformer names and timm's, pair by pair ('{}': the block index; a name ending in '.' is a
# prefix, any other a whole key); the rename tables both ways are derived from it
_NATIVE_TIMM_NAMES = (
    ('conv1.', 'patch_embed.proj.'),
    ('ln_pre.', 'norm_pre.'),
    ('ln_post.', 'norm.'),
    ('transformer.resblocks.{}.ln_1.', 'blocks.{}.norm1.'),
    ('transformer.resblocks.{}.ln_2.', 'blocks.{}.norm2.'),
    ('transformer.resblocks.{}.attn.in_proj_weight', 'blocks.{}.attn.qkv.weight'),
    ('transformer.resblocks.{}.attn.in_proj_bias', 'blocks.{}.attn.qkv.bias'),
    ('transformer.resblocks.{}.attn.out_proj.', 'blocks.{}.attn.proj.'),
    ('transformer.resblocks.{}.mlp.c_fc.', 'blocks.{}.mlp.fc1.'),
    ('transformer.resblocks.{}.mlp.c_proj.', 'blocks.{}.mlp.fc2.'),
)


def _rename_rule(source: str, target: str):
    """(regex, replacement) that renames keys named like ``source`` to ``target``."""
    pattern = '^' + re.escape(source).replace(re.escape('{}'), r'(\d+)') + ('' if source.endswith('.') else '$')
    return pattern, target.replace('{}', r'\1')


_NATIVE_TO_TIMM = tuple(_rename_rule(native, timm) for native, timm in _NATIVE_TIMM_NAMES)
_TIMM_TO_NATIVE = tuple(_rename_rule(timm, native) for native, timm in _NATIVE_TIMM_NAMES)
_QKV = re.compile(r'^(blocks\.\d+\.attn\.)qkv\.(weight|bias)$')
_SPLIT = re.compile(r'^(blocks\.\d+\.attn\.)([qkv])_proj\.(weight|bias)$')


def _rename(key: str, table) -> str:
    for pattern, replacement in table:
        new, n = re.subn(pattern, replacement, key)
        if n:
            return new
    return key


def _check_weights(weights: str) -> None:
    if weights not in OPEN_CLIP_PREFIXES:
        raise ValueError(f'unknown CLIPViT weights layout {weights!r}; known: {sorted(OPEN_CLIP_PREFIXES)}')


def native_to_timm(trunk: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """open_clip ``VisionTransformer`` keys (no ``visual.``) -> timm ``VisionTransformer`` keys (``proj`` becomes
    ``head.weight``, transposed; timm's CLIP head has a zero bias)."""
    out = {}
    for key, value in trunk.items():
        if key == 'class_embedding':
            out['cls_token'] = value.reshape(1, 1, -1)
        elif key == 'positional_embedding':
            out['pos_embed'] = value.unsqueeze(0)
        elif key == 'proj':
            out['head.weight'] = value.t()
            out['head.bias'] = value.new_zeros(value.shape[1])
        else:
            out[_rename(key, _NATIVE_TO_TIMM)] = value
    return out


def timm_to_native(trunk: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Inverse of :func:`native_to_timm` (a non-zero ``head.bias`` cannot be written as ``proj``: error)."""
    out = {}
    for key, value in trunk.items():
        if key == 'cls_token':
            out['class_embedding'] = value.reshape(-1)
        elif key == 'pos_embed':
            out['positional_embedding'] = value.squeeze(0)
        elif key == 'head.weight':
            out['proj'] = value.t()
        elif key == 'head.bias':
            if value.abs().max() > 0:
                raise CheckpointFormatError('head.bias is not zero: open_clip\'s proj has no bias')
        else:
            out[_rename(key, _TIMM_TO_NATIVE)] = value
    return out


def timm_to_ours(trunk: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """timm keys -> CLIPViT's: fused ``qkv`` (weight and bias) split into q / k / v, ``patch_embed.projection``."""
    out = {}
    for key, value in trunk.items():
        match = _QKV.match(key)
        if match:
            block, param = match.groups()
            for name, part in zip('qkv', value.chunk(3, dim=0)):
                out[f'{block}{name}_proj.{param}'] = part
        elif key.startswith('patch_embed.proj.'):
            out['patch_embed.projection.' + key[len('patch_embed.proj.'):]] = value
        else:
            out[key] = value
    return out


def ours_to_timm(state: Dict[str, torch.Tensor], fused: bool) -> Dict[str, torch.Tensor]:
    """Inverse of :func:`timm_to_ours`; ``fused``: write ``qkv`` (OpenAI, SigLIP) or keep q/k/v (EVA02)."""
    out = {}
    for key, value in state.items():
        match = _SPLIT.match(key)
        if key.startswith('patch_embed.projection.'):
            out['patch_embed.proj.' + key[len('patch_embed.projection.'):]] = value
        elif match and fused:
            block, name, param = match.groups()
            if name == 'q':
                parts = [state.get(f'{block}{n}_proj.{param}') for n in 'qkv']
                if any(p is None for p in parts):
                    raise CheckpointFormatError(f'{block}: cannot fuse q/k/v {param}s, one is missing')
                out[f'{block}qkv.{param}'] = torch.cat(parts, dim=0)
        else:
            out[key] = value
    return out


def detect_format(state_dict: dict, weights: str, source: str = '<state dict>') -> str:
    prefix = OPEN_CLIP_PREFIXES[weights]
    if any(k.startswith(prefix) for k in state_dict):
        return 'open_clip'
    if 'patch_embed.projection.weight' in state_dict:
        return 'visft_mm'
    if 'pos_embed' in state_dict:
        return 'timm'
    raise CheckpointFormatError(
        f'{source!r} is not a {weights} vision checkpoint: no {prefix}* keys (open_clip), no pos_embed (timm) and '
        f'no patch_embed.projection.weight (visft_mm); first keys: {", ".join(sorted(state_dict)[:5])}')


def to_clip_vit(state_dict: dict, weights: str, source: str = '<state dict>',
                fmt: Optional[str] = None) -> Tuple[Dict[str, torch.Tensor], str]:
    """A file in ``fmt`` (detected when None) -> CLIPViT plain keys (the CLIP projection stays as ``head.*``,
    which the strict loader allows and skips).  Returns (state dict, format)."""
    _check_weights(weights)
    fmt = fmt or detect_format(state_dict, weights, source)
    if fmt not in FORMATS:
        raise CheckpointFormatError(f'{source!r}: format {fmt!r} is not one of {FORMATS} for {weights} weights')
    if fmt == 'visft_mm':
        return plain_state(state_dict), fmt
    trunk = state_dict
    if fmt == 'open_clip':
        prefix = OPEN_CLIP_PREFIXES[weights]
        trunk = {k[len(prefix):]: v for k, v in state_dict.items() if k.startswith(prefix)}
        if weights == 'open_clip_vit':
            trunk = native_to_timm(trunk)
    return timm_to_ours(trunk), fmt


def from_clip_vit(plain: Dict[str, torch.Tensor], weights: str, fmt: str,
                  template: Optional[dict] = None) -> Dict[str, torch.Tensor]:
    """CLIPViT plain keys -> ``fmt``.  With ``template`` (a full file of that layout) its other entries (the text
    tower, the projection, ``logit_scale``) are kept and the vision trunk is replaced."""
    _check_weights(weights)
    if fmt not in FORMATS:
        raise CheckpointFormatError(f'unknown format {fmt!r} for {weights} weights; choose one of {FORMATS}')
    if fmt == 'visft_mm':
        body = dict(plain)
    else:
        body = ours_to_timm(plain, FUSED_QKV[weights])
        if fmt == 'open_clip':
            if weights == 'open_clip_vit':
                body = timm_to_native(body)
            body = {OPEN_CLIP_PREFIXES[weights] + k: v for k, v in body.items()}
    out = dict(template) if template is not None else {}
    out.update(body)
    return out


def build_projection(weights: str, width: int, embed_dim: int) -> nn.Module:
    """The module between the pooled image feature and the CLIP embedding, as open_clip has it."""
    _check_weights(weights)
    if weights == 'timm_vit':
        if embed_dim != width:
            raise ValueError(f'SigLIP-style towers have no projection: the CLIP embed_dim ({embed_dim}) must equal '
                             f'the vision width ({width})')
        return nn.Identity()
    return nn.Linear(width, embed_dim, bias=weights == 'timm_eva')


def split_clip_state(state: Dict[str, torch.Tensor], weights: str, source: str = '<state dict>') -> dict:
    """A full open_clip checkpoint -> ``head`` (the state dict of :func:`build_projection`'s module), ``text``
    (open_clip text-tower keys), ``logit_scale`` (and ``logit_bias`` for SigLIP).  A key that belongs to none of
    these nor to the vision trunk is an error, so a wrong file is named, not half-used."""
    _check_weights(weights)
    prefix = OPEN_CLIP_PREFIXES[weights]
    if not any(k.startswith(prefix) for k in state):
        raise CheckpointFormatError(f'{source!r} is not a full open_clip checkpoint of a {weights} model (no '
                                    f'{prefix}* keys): zero-shot evaluation needs the CLIP file with its text tower')
    head_keys = {'timm_eva': {'visual.trunk.head.weight': 'weight', 'visual.trunk.head.bias': 'bias'},
                 'open_clip_vit': {'visual.proj': 'weight'}, 'timm_vit': {}}[weights]
    head, text, unknown = {}, {}, []
    for key, value in state.items():
        if key in head_keys:
            head[head_keys[key]] = value.t() if key == 'visual.proj' else value
        elif key.startswith('visual.trunk.head.') or key.startswith('visual.head.'):
            unknown.append(key)  # a projection this family's open_clip config does not have
        elif key.startswith('visual.'):
            continue  # the trunk: the backbone's initializer loads it
        elif key.startswith('text.'):
            text[key[len('text.'):]] = value
        elif key.startswith(TEXT_TOP_LEVEL):
            text[key] = value
        elif key not in ('logit_scale', 'logit_bias'):
            unknown.append(key)
    if unknown:
        raise CheckpointFormatError(f'{source!r} has keys a {weights} open_clip model does not have: '
                                    f'{", ".join(sorted(unknown)[:8])}')
    if 'logit_scale' not in state:
        raise CheckpointFormatError(f'{source!r} has no logit_scale: not a full CLIP checkpoint')
    if set(head) != set(head_keys.values()):
        raise CheckpointFormatError(f'{source!r}: the vision projection {sorted(head_keys)} is missing')
    return dict(layout='open_clip', head=head, text=text, logit_scale=state['logit_scale'],
                logit_bias=state.get('logit_bias'))
