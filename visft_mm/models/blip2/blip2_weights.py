"""LAVIS BLIP-2 checkpoints <-> mmpretrain's BLIP-2 keys, with the vision tower in :class:`EVAViT`'s layout.

=============================  ======================================  ==========================================
LAVIS key prefix               mmpretrain key prefix                   in
=============================  ======================================  ==========================================
``visual_encoder.``            ``vision_backbone.`` (EVAViT keys)      every model (39 blocks, fused qkv)
``ln_vision.``                 ``ln_vision_backbone.``                 every model
``query_tokens``               ``query_tokens``                        every model
``Qformer.bert.``              ``multimodal_backbone.bert.``           every model
``Qformer.cls.``               ``multimodal_backbone.cls.``            Q-Former (retrieval) models
``opt_proj.`` / ``llm_proj.``  ``vision_neck.fc.``                     OPT models
``opt_model.``                 ``text_backbone.``                      OPT models (rarely saved: OPT is frozen)
``vision_proj.``               ``vision_neck.fc.``                     Q-Former (retrieval) models
``text_proj.``                 ``text_neck.fc.``                       Q-Former (retrieval) models
``itm_head.``                  ``multimodal_head.fc.``                 Q-Former (retrieval) models
``temp``                       ``temp``                                Q-Former (retrieval) models
=============================  ======================================  ==========================================

A LAVIS key under none of these prefixes is an error (never dropped silently).
"""
from typing import Dict

import torch

from ..weights.eva_formats import CheckpointFormatError, convert_to_evavit, export_state_dict

# (LAVIS prefix, mmpretrain prefix); exact names end without a dot
LAVIS_TO_MMPRETRAIN = (
    ('ln_vision.', 'ln_vision_backbone.'),
    ('query_tokens', 'query_tokens'),
    ('Qformer.bert.', 'multimodal_backbone.bert.'),
    ('Qformer.cls.', 'multimodal_backbone.cls.'),
    ('opt_proj.', 'vision_neck.fc.'),
    ('llm_proj.', 'vision_neck.fc.'),
    ('opt_model.', 'text_backbone.'),
    ('vision_proj.', 'vision_neck.fc.'),
    ('text_proj.', 'text_neck.fc.'),
    ('itm_head.', 'multimodal_head.fc.'),
    ('temp', 'temp'),
)
LAVIS_VISION, MMPRETRAIN_VISION = 'visual_encoder.', 'vision_backbone.'
# projections saved under a name that depends on the model: LAVIS name chosen when converting back
PROJECTION_NAMES = dict(opt='opt_proj.', qformer='vision_proj.')


def _rename(key: str, prefix: str, new_prefix: str) -> str:
    return new_prefix + key[len(prefix):]


def _match(key: str, prefix: str) -> bool:
    return key.startswith(prefix) if prefix.endswith('.') else key == prefix


def lavis_to_mmpretrain(state_dict: Dict[str, torch.Tensor], source: str = '<state dict>',
                        with_vision: bool = True) -> Dict[str, torch.Tensor]:
    """Rename a LAVIS BLIP-2 state dict to mmpretrain's keys; the ViT becomes EVAViT keys under
    ``vision_backbone.`` (or is left out with ``with_vision=False``).  Unknown keys raise, naming them."""
    out, vision, unknown = {}, {}, []
    for key, value in state_dict.items():
        if key.startswith(LAVIS_VISION):
            vision[key[len(LAVIS_VISION):]] = value
            continue
        rule = next(((p, n) for p, n in LAVIS_TO_MMPRETRAIN if _match(key, p)), None)
        if rule is None:
            unknown.append(key)
            continue
        new_key = _rename(key, *rule)
        if new_key in out:
            raise CheckpointFormatError(f'{source!r}: {key!r} and another key both map to {new_key!r} '
                                        '(opt_proj and llm_proj / vision_proj in one file?)')
        out[new_key] = value
    if unknown:
        shown = ', '.join(sorted(unknown)[:8]) + (f', ... ({len(unknown)} in all)' if len(unknown) > 8 else '')
        raise CheckpointFormatError(f'{source!r}: keys that are not part of a LAVIS BLIP-2 model: {shown}')
    if not out:
        raise CheckpointFormatError(f'{source!r} holds no LAVIS BLIP-2 keys (Qformer.*, query_tokens, ...)')
    if vision and with_vision:
        plain, _ = convert_to_evavit(vision, f'{source} (visual_encoder)', fmt='lavis')
        out.update({MMPRETRAIN_VISION + k: v for k, v in plain.items()})
    return out


def mmpretrain_to_lavis(state_dict: Dict[str, torch.Tensor], projection: str = 'opt') -> Dict[str, torch.Tensor]:
    """Inverse of :func:`lavis_to_mmpretrain` (``projection``: ``'opt'`` -> ``opt_proj``, ``'qformer'`` ->
    ``vision_proj``, the name ``vision_neck.fc`` had in LAVIS)."""
    inverse = [(n, p) for p, n in LAVIS_TO_MMPRETRAIN if n != 'vision_neck.fc.']
    inverse.append(('vision_neck.fc.', PROJECTION_NAMES[projection]))
    out, vision = {}, {}
    for key, value in state_dict.items():
        if key.startswith(MMPRETRAIN_VISION):
            vision[key[len(MMPRETRAIN_VISION):]] = value
            continue
        rule = next(((n, p) for n, p in inverse if _match(key, n)), None)
        if rule is None:
            raise KeyError(f'{key!r} has no LAVIS name')
        out[_rename(key, *rule)] = value
    if vision:
        out.update({LAVIS_VISION + k: v for k, v in export_state_dict(vision, 'lavis').items()})
    return out
