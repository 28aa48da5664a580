"""What a visft_mm checkpoint records about the frozen backbone it was trained on: one schema, one owner.

Checkpoints leave the frozen weights out (they come from the EVA-CLIP file at every build), so each one records
enough to refuse a model whose frozen weights differ.  Written by ``TrainableCheckpointHook`` into
``checkpoint['meta']``, and by the LoRA export beside a peft adapter; read by ViSFT's head loading and by the
evaluation LoRA loader.

=======================  ====================================================================================
key                      meaning
=======================  ====================================================================================
``frozen_fingerprint``   :func:`weights_fingerprint` of every parameter that does not train (backbone and,
                         in stage 2, the frozen heads): what a resume / ``load_from`` must find again
``backbone_fingerprint`` the same over the backbone's base weights alone (LoRA excluded, before any merge)
``backbone_arch``        the backbone's arch dict (``EVAViT.arch``)
``lora``                 ``dict(r=, alpha=, targets=)`` when the backbone carries a LoRA
``fingerprint_rounding`` the dtype the weights are rounded to before summing: ``'bfloat16'`` (the same for
                         fp32- and bf16-stored frozen weights); any other value is refused
=======================  ====================================================================================

The backbone is passed in by the caller (``describe(model, backbone)``): this module knows no model class, so
``models`` and ``engine`` can both import it.  A backbone here is any module with ``arch`` (a dict) and
``lora_cfg`` (a dict or None) attributes, as :class:`~visft_mm.models.EVAViT` has.
"""
from typing import Optional

import torch.nn as nn

from .fingerprint import ROUNDING, fingerprints_match, weights_fingerprint


def _check_rounding(meta: dict, where: str) -> None:
    rounding = meta.get('fingerprint_rounding')
    if rounding != ROUNDING:
        raise ValueError(f'{where} records fingerprints taken with fingerprint_rounding={rounding!r}; visft_mm '
                         f'takes them with {ROUNDING!r}: the file was not written by this visft_mm')


def backbone_fingerprint(backbone: nn.Module) -> float:
    """Fingerprint of the base (non-LoRA) weights: equal for a plain EVAViT and the same one with LoRA layers."""
    return weights_fingerprint(p for n, p in backbone.named_parameters() if '.lora_' not in n)


def frozen_fingerprint(model: nn.Module) -> float:
    return weights_fingerprint(p for p in model.parameters() if not p.requires_grad)


def check_frozen(meta: dict, model: nn.Module, where: str) -> None:
    """Raise if ``model``'s frozen weights are not those ``meta`` was recorded on."""
    _check_rounding(meta, where)
    expected, actual = meta['frozen_fingerprint'], frozen_fingerprint(model)
    if not fingerprints_match(expected, actual):
        raise ValueError(
            f'{where} was trained on other frozen weights than this model holds (fingerprint {expected!r} vs '
            f'{actual!r}): check the backbone arch, its init_cfg checkpoint, or the seed of a backbone without '
            'pretrained weights')


def describe(model: nn.Module, backbone: Optional[nn.Module] = None) -> dict:
    """The meta entries for a checkpoint of ``model``, whose backbone (if any) is ``backbone``."""
    meta = dict(frozen_fingerprint=frozen_fingerprint(model), fingerprint_rounding=ROUNDING)
    if backbone is not None:
        meta.update(backbone_arch=dict(backbone.arch), backbone_fingerprint=backbone_fingerprint(backbone))
        if backbone.lora_cfg:
            meta['lora'] = dict(r=backbone.lora_cfg.get('r', 64), alpha=backbone.lora_cfg.get('alpha', 1.0),
                                targets=list(backbone.lora_cfg.get('targets', ('q_proj', 'v_proj'))))
    return meta


def check_backbone(meta: dict, backbone: nn.Module, where: str) -> bool:
    """Raise if ``meta`` was recorded on another arch or other base weights than ``backbone`` holds.

    Returns whether the weights could be checked at all (a file without a fingerprint, e.g. a peft folder from
    another tool, cannot be).
    """
    arch = meta.get('backbone_arch')
    if arch is not None and dict(arch) != dict(backbone.arch):
        raise ValueError(f'{where} was trained on backbone arch {dict(arch)}, this backbone is {dict(backbone.arch)}')
    expected = meta.get('backbone_fingerprint')
    if expected is None:
        return False
    _check_rounding(meta, where)
    actual = backbone_fingerprint(backbone)
    if not fingerprints_match(expected, actual):
        raise ValueError(f'{where} was trained on other backbone weights (fingerprint {expected!r}, this backbone '
                         f'has {actual!r}): check the EVA-CLIP file (init_cfg checkpoint) and the arch')
    return True
