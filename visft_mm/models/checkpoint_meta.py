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
``fingerprint_rounding`` the dtype the weights are rounded to before summing (``'bfloat16'``: the same for
                         fp32- and bf16-stored frozen weights); absent in checkpoints written before, whose
                         fingerprints are exact fp32 sums and are checked as such
=======================  ====================================================================================
"""
from typing import Optional

import torch.nn as nn

from .utils import fingerprints_match, weights_fingerprint

ROUNDING = 'bfloat16'


def _rounding(meta: Optional[dict]) -> Optional[str]:
    """How ``meta``'s fingerprints were taken (None: a checkpoint from before the rounding: exact sums)."""
    return ROUNDING if meta is None else meta.get('fingerprint_rounding')


def find_backbone(model: nn.Module) -> Optional[nn.Module]:
    """The one EVA-ViT in ``model`` (whatever attribute holds it: ``backbone``, ``vision_backbone``, ...)."""
    from .backbones import EVAViT
    found = [m for m in model.modules() if isinstance(m, EVAViT)]
    if len(found) > 1:
        raise ValueError(f'{type(model).__name__} holds {len(found)} EVAViT backbones; expected one')
    return found[0] if found else None


def backbone_fingerprint(backbone: nn.Module, meta: Optional[dict] = None) -> float:
    """Fingerprint of the base (non-LoRA) weights: equal for a plain EVAViT and the same one with LoRA layers;
    taken the way ``meta`` records (default: the current way)."""
    return weights_fingerprint((p for n, p in backbone.named_parameters() if '.lora_' not in n), _rounding(meta))


def frozen_fingerprint(model: nn.Module, meta: Optional[dict] = None) -> float:
    return weights_fingerprint((p for p in model.parameters() if not p.requires_grad), _rounding(meta))


def check_frozen(meta: dict, model: nn.Module, where: str) -> None:
    """Raise if ``model``'s frozen weights are not those ``meta`` was recorded on."""
    expected, actual = meta['frozen_fingerprint'], frozen_fingerprint(model, meta)
    if not fingerprints_match(expected, actual):
        raise ValueError(
            f'{where} was trained on other frozen weights than this model holds (fingerprint {expected!r} vs '
            f'{actual!r}): check the backbone arch, its init_cfg checkpoint, or the seed of a backbone without '
            'pretrained weights')


def describe(model: nn.Module) -> dict:
    """The meta entries for a checkpoint of ``model``."""
    meta = dict(frozen_fingerprint=frozen_fingerprint(model), fingerprint_rounding=ROUNDING)
    backbone = find_backbone(model)
    if backbone is not None:
        meta.update(backbone_arch=dict(backbone.arch), backbone_fingerprint=backbone_fingerprint(backbone))
        if backbone.lora_cfg:
            meta['lora'] = dict(r=backbone.lora_cfg.get('r', 64), alpha=backbone.lora_cfg.get('alpha', 1.0),
                                targets=list(backbone.lora_cfg.get('targets', ('q_proj', 'v_proj'))))
    return meta


def check_backbone(meta: dict, backbone: nn.Module, where: str, fallback_to_frozen: bool = False) -> bool:
    """Raise if ``meta`` was recorded on another arch or other base weights than ``backbone`` holds.

    ``fallback_to_frozen``: a stage-1 checkpoint written before ``backbone_fingerprint`` existed records the
    backbone in ``frozen_fingerprint`` (in stage 1 the backbone is all that is frozen).  Returns whether the
    weights could be checked at all (a file without a fingerprint cannot be).
    """
    arch = meta.get('backbone_arch')
    if arch is not None and dict(arch) != dict(backbone.arch):
        raise ValueError(f'{where} was trained on backbone arch {dict(arch)}, this backbone is {dict(backbone.arch)}')
    expected = meta.get('backbone_fingerprint')
    if expected is None and fallback_to_frozen:
        expected = meta.get('frozen_fingerprint')
    if expected is None:
        return False
    actual = backbone_fingerprint(backbone, meta)
    if not fingerprints_match(expected, actual):
        raise ValueError(f'{where} was trained on other backbone weights (fingerprint {expected!r}, this backbone '
                         f'has {actual!r}): check the EVA-CLIP file (init_cfg checkpoint) and the arch')
    return True
