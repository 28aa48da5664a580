"""Stage-1 detectors: one training step reaches only the head; configs build for the paper's archs."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from visft_mm.registry import MODELS

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft')
DEMO_CONFIGS = ['demo/stage1_detr_tiny_synthetic.py', 'demo/stage1_mask2former_tiny_synthetic.py']


def _demo_cfg(name, synthetic_data):
    root, files = synthetic_data
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.model.backbone.init_cfg.checkpoint = files['eva_checkpoint']
    data_root = str(root / 'coco') + '/'
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    for evaluator in ('val_evaluator', 'test_evaluator'):
        cfg[evaluator].ann_file = data_root + 'annotations/instances_val2017.json'
    return cfg


@pytest.mark.parametrize('name', DEMO_CONFIGS)
def test_one_training_step_updates_only_the_head(name, synthetic_data, tmp_path):
    cfg = _demo_cfg(name, synthetic_data)
    init_default_scope('visft_mm')
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader = Runner.build_dataloader(cfg.train_dataloader)
    batch = next(iter(loader))
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    loss, log_vars = model.parse_losses(losses)
    assert torch.isfinite(loss) and loss > 0
    loss.backward()
    backbone = [p for p in model.backbone.parameters()]
    head = [(n, p) for n, p in model.named_parameters() if not n.startswith('backbone.')]
    assert all(p.grad is None and not p.requires_grad for p in backbone)
    with_grad = [n for n, p in head if p.grad is not None and torch.count_nonzero(p.grad)]
    assert len(with_grad) > 0.8 * len(head), f'{len(with_grad)} of {len(head)} head weights got gradients'


@pytest.mark.parametrize('name, width, in_key', [
    ('stage1_detr_eva_g.py', 1408, 'neck'), ('stage1_detr_eva_e.py', 1792, 'neck'),
    ('stage1_mask2former_eva_g.py', 1408, 'panoptic_head'), ('stage1_mask2former_eva_e.py', 1792, 'panoptic_head'),
])
def test_paper_configs_build_on_meta_device(name, width, in_key):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    init_default_scope('visft_mm')
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    assert model.backbone.embed_dims == width
    head = sum(p.numel() for n, p in model.named_parameters() if not n.startswith('backbone.'))
    print(f'{name}: head parameters {head:,}')
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert 1e6 < head < 40e6


def test_backbone_width_mismatch_is_named():
    cfg = Config.fromfile(osp.join(CONFIGS, 'stage1_detr_eva_g.py'))
    cfg.model.backbone.arch = 'eva-e'
    init_default_scope('visft_mm')
    with torch.device('meta'), pytest.raises(ValueError, match=r'neck.in_channels=\[1408\] does not match the '
                                                                r'backbone width 1792'):
        MODELS.build(cfg.model)


@pytest.mark.parametrize('factor, stride', [(1, 14), (2, 7)])
def test_mask_feature_upsampling_switch(factor, stride, synthetic_data):
    cfg = _demo_cfg(DEMO_CONFIGS[1], synthetic_data)
    cfg.model.panoptic_head.pixel_decoder.mask_upsample_factor = factor
    init_default_scope('visft_mm')
    model = MODELS.build(cfg.model).eval()
    feats = model.extract_feat(torch.randn(1, 3, 224, 224))
    mask_feature, _ = model.panoptic_head.pixel_decoder(feats)
    assert mask_feature.shape[-2:] == (224 // stride, 224 // stride)
