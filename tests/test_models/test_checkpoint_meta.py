"""One schema for what checkpoints record of their frozen backbone; files written before the bf16 rounding load."""
import pytest

from visft_mm.models import EVAViT
from visft_mm.models import checkpoint_meta as M
from visft_mm.models.utils import weights_fingerprint


def test_meta_describes_backbone_and_lora():
    model = EVAViT('tiny', lora=dict(r=4, alpha=1))
    meta = M.describe(model)
    assert meta['backbone_arch'] == model.arch and meta['lora'] == dict(r=4, alpha=1, targets=['q_proj', 'v_proj'])
    assert meta['fingerprint_rounding'] == 'bfloat16'
    twin = EVAViT('tiny')
    twin.load_state_dict({k.replace('.base_layer', ''): v for k, v in model.state_dict().items() if 'lora_' not in k})
    assert M.check_backbone(meta, twin, 'x') is True  # the same weights without LoRA layers pass


def test_checkpoints_from_before_the_rounding_are_checked_exactly():
    model = EVAViT('tiny')
    model.init_weights()
    plain = [p for p in model.parameters()]
    legacy = dict(frozen_fingerprint=weights_fingerprint(plain, rounding=None), backbone_arch=dict(model.arch),
                  backbone_fingerprint=weights_fingerprint(plain, rounding=None))
    M.check_frozen(legacy, model.requires_grad_(False), 'old file')
    assert M.check_backbone(legacy, model, 'old file') is True
    rounded = dict(legacy, backbone_fingerprint=weights_fingerprint(plain), fingerprint_rounding='bfloat16')
    assert M.check_backbone(rounded, model, 'new file') is True
    with pytest.raises(ValueError, match='old file was trained on other backbone weights'):
        M.check_backbone(dict(legacy, backbone_fingerprint=legacy['backbone_fingerprint'] + 1), model, 'old file')
