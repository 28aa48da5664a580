"""The backbone base configs build the paper's models (on the meta device: no memory, no weights needed)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from visft_mm.registry import MODELS

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs')


@pytest.mark.parametrize('name, params, lora_params', [
    ('_base_/models/eva_vit_g.py', (0.95e9, 1.05e9), 14_417_920),
    ('visft/stage1_detr_eva_e.py', (4.3e9, 4.45e9), 29_360_128),  # eva_vit_g.py with arch='eva-e'
])
def test_base_config_builds_with_lora(name, params, lora_params):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    lora = Config.fromfile(osp.join(CONFIGS, '_base_', 'models', 'visft.py')).model.backbone.lora
    init_default_scope('visft_mm')
    with torch.device('meta'):
        backbone = MODELS.build(dict(cfg.model.backbone, lora=lora))
    base = sum(p.numel() for n, p in backbone.named_parameters() if '.lora_' not in n)
    trainable = sum(p.numel() for p in backbone.parameters() if p.requires_grad)
    assert params[0] < base < params[1]
    assert trainable == lora_params
    assert backbone.blocks[0].attn.q_proj.scaling['default'] == pytest.approx(1 / 64)
