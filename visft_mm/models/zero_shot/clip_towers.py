"""The non-trunk parts of an EVA-CLIP checkpoint: the text tower (built by open_clip), the vision projection head
and ``logit_scale``, read strictly from the original EVA-CLIP ``.pt`` or open_clip's layout.

The vision trunk itself is :class:`~visft_mm.models.backbones.EVAViT`'s business (loaded by its initializer, with
the ViSFT LoRA merged); this module reads everything else from the same file.

==============  ===================  ======================  =====================================
layout          vision trunk         vision projection       text tower
==============  ===================  ======================  =====================================
``eva_clip``    ``visual.*``         ``visual.head.*``       ``text.*`` (open_clip custom-text keys)
``open_clip``   ``visual.trunk.*``   ``visual.trunk.head.*`` ``text.*``, or top-level ``token_embedding``,
                                                             ``transformer.*``, ... (open_clip ``CLIP``)
==============  ===================  ======================  =====================================
"""
from functools import lru_cache
from typing import Dict, Tuple, Union

import torch
import torch.nn as nn

from visft_mm.checkpoint.io import is_remote
from visft_mm.checkpoint.keys import key_diff
from ..weights.eva_formats import CheckpointFormatError, detect_format, read_checkpoint

# vision projection prefix per layout (fc_norm only exists for mean-pooling variants, which EVA-CLIP g/E are not)
HEAD_PREFIXES = dict(eva_clip='visual.head.', open_clip='visual.trunk.head.')
VISUAL_PREFIXES = dict(eva_clip='visual.', open_clip='visual.trunk.')
# keys of open_clip's plain ``CLIP`` (text tower at the top level) that ``CustomTextCLIP`` keeps under ``text.``
_TOP_LEVEL_TEXT = ('token_embedding.', 'positional_embedding', 'transformer.', 'ln_final.', 'text_projection')


def read_clip_checkpoint(path: str) -> Dict[str, torch.Tensor]:
    """A full CLIP checkpoint's state dict, memory-mapped (the vision trunk is read again by the backbone)."""
    try:
        return read_checkpoint(path)
    except FileNotFoundError:
        if is_remote(path):
            raise
        raise FileNotFoundError(
            f'CLIP checkpoint {path!r} does not exist (expected the EVA-CLIP .pt, e.g. '
            'EVA02_CLIP_E_psz14_plus_s9B.pt, or an open_clip state dict of the same model)') from None


def to_open_clip_layout(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """EVA-CLIP original layout -> open_clip ``CustomTextCLIP`` layout (the vision trunk moves under ``trunk``)."""
    return {('visual.trunk.' + k[len('visual.'):] if k.startswith('visual.') else k): v for k, v in state.items()}


def to_eva_clip_layout(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """open_clip ``CustomTextCLIP`` layout -> EVA-CLIP original layout (inverse of :func:`to_open_clip_layout`)."""
    out = {}
    for key, value in state.items():
        if key.startswith('visual.') and not key.startswith('visual.trunk.'):
            raise CheckpointFormatError(f'{key!r} is not part of a timm-trunk open_clip model (visual.trunk.*)')
        out[('visual.' + key[len('visual.trunk.'):]) if key.startswith('visual.trunk.') else key] = value
    return out


def split_clip_state(state: Dict[str, torch.Tensor], source: str = '<state dict>') -> dict:
    """Split a full EVA-CLIP / open_clip state dict into ``layout``, ``head`` (vision projection, Linear keys),
    ``text`` (custom-text keys without the ``text.`` prefix) and ``logit_scale``.  Keys that belong to none of
    these (nor to the vision trunk) are errors, so a wrong file is named rather than half-used."""
    layout = detect_format(state, source)
    if layout not in HEAD_PREFIXES:
        raise CheckpointFormatError(
            f'{source!r} is a {layout!r} vision-only checkpoint; zero-shot evaluation needs the full EVA-CLIP '
            'file (visual.* + text.* + logit_scale) or its open_clip version')
    head_prefix, visual_prefix = HEAD_PREFIXES[layout], VISUAL_PREFIXES[layout]
    head, text, unknown = {}, {}, []
    for key, value in state.items():
        if key.startswith(head_prefix):
            head[key[len(head_prefix):]] = value
        elif key.startswith(visual_prefix + 'fc_norm.'):
            unknown.append(key)  # a mean-pooling model: EVAViT pools the class token
        elif key.startswith(visual_prefix):
            continue  # the trunk, loaded by the backbone's initializer
        elif key.startswith('text.'):
            text[key[len('text.'):]] = value
        elif key.startswith(_TOP_LEVEL_TEXT):
            text[key] = value
        elif key != 'logit_scale':
            unknown.append(key)
    if unknown:
        raise CheckpointFormatError(f'{source!r} ({layout} layout) has keys a class-token EVA-CLIP model does not '
                                    f'use: {", ".join(sorted(unknown)[:8])}')
    if 'logit_scale' not in state:
        raise CheckpointFormatError(f'{source!r} has no logit_scale: not a full CLIP checkpoint')
    if sorted(head) != ['bias', 'weight']:
        raise CheckpointFormatError(f'{source!r}: the vision projection {head_prefix}{{weight,bias}} is missing '
                                    f'(found {sorted(head_prefix + k for k in head)})')
    return dict(layout=layout, head=head, text=text, logit_scale=state['logit_scale'])


def build_text_tower(model_cfg: Union[str, dict]) -> Tuple[nn.Module, dict]:
    """open_clip's text tower (random weights) for a model config name (``'EVA02-E-14-plus'``) or config dict.

    Returns (tower, model config).  Nothing is downloaded: the configs ship with open_clip.
    """
    import open_clip
    from open_clip.model import _build_text_tower
    if isinstance(model_cfg, str):
        cfg = open_clip.get_model_config(model_cfg)
        if cfg is None:
            raise ValueError(f'open_clip has no model config {model_cfg!r}; EVA-CLIP ones: '
                             f'{[m for m in open_clip.list_models() if m.startswith("EVA")]}')
    else:
        cfg = dict(model_cfg)
    if 'hf_model_name' in cfg['text_cfg']:
        raise ValueError('only open_clip\'s own TextTransformer towers are supported (EVA-CLIP\'s), '
                         f'not the Hugging Face text model {cfg["text_cfg"]["hf_model_name"]!r}')
    tower = _build_text_tower(cfg['embed_dim'], cfg['text_cfg'], quick_gelu=cfg.get('quick_gelu', False))
    return tower, cfg


def build_tokenizer(model_cfg: Union[str, dict]):
    """open_clip's tokenizer for the model (the BPE vocabulary ships with open_clip)."""
    if isinstance(model_cfg, str):
        return _named_tokenizer(model_cfg)
    return _clip_bpe_tokenizer(model_cfg['text_cfg'].get('context_length', 77))


@lru_cache(maxsize=None)
def _named_tokenizer(name: str):
    import open_clip
    return open_clip.get_tokenizer(name)


@lru_cache(maxsize=None)
def _clip_bpe_tokenizer(context_length: int):  # parsing the BPE merges takes a while: one per process
    import open_clip
    return open_clip.tokenizer.SimpleTokenizer(context_length=context_length)


def load_text_tower(tower: nn.Module, text_state: Dict[str, torch.Tensor], source: str = '<state dict>') -> None:
    """Load ``text.*`` weights into open_clip's text tower strictly: missing, unexpected and mis-shaped keys are
    named in the error."""
    expected = tower.state_dict()
    diff = key_diff(text_state, expected)
    if diff:
        width = expected['positional_embedding'].shape[-1] if 'positional_embedding' in expected else '?'
        raise CheckpointFormatError(f'{source!r}: the text tower does not fit open_clip\'s (width {width}, '
                                    f'{len(getattr(tower, "transformer").resblocks)} layers): '
                                    f'{diff.describe(prefix="text.")}')
    tower.load_state_dict(text_state, strict=True)


def load_head(head: nn.Linear, head_state: Dict[str, torch.Tensor], source: str = '<state dict>') -> None:
    for name, param in (('weight', head.weight), ('bias', head.bias)):
        if head_state[name].shape != param.shape:
            raise CheckpointFormatError(f'{source!r}: vision projection {name} has shape '
                                        f'{tuple(head_state[name].shape)}, the model expects {tuple(param.shape)} '
                                        '(vision width x CLIP embedding size)')
    head.load_state_dict(head_state, strict=True)
