"""The Table-4 GOI probe: mmpretrain's ImageClassifier on the frozen EVA-ViT's CLS token, trained on synthetic
coco-goi through the real reader, with head-only checkpoints."""
import os
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from visft_mm.registry import MODELS
from visft_mm.testing.synthetic_goi import GOI_CLASSES

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'probes', 'goi')


def _demo_cfg(work_dir, max_epochs):
    cfg = Config.fromfile(osp.join(CONFIGS, 'linear_tiny_synthetic.py'))
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = uuid.uuid4().hex
    cfg.train_cfg.update(max_epochs=max_epochs, val_interval=max_epochs)
    cfg.param_scheduler[1].end = max_epochs
    cfg.default_hooks.checkpoint.interval = max_epochs
    return cfg


def _backbone_state(cfg):
    backbone = MODELS.build(cfg.model.backbone)
    backbone.init_weights()
    return {k: v.clone() for k, v in backbone.state_dict().items()}


def test_probe_learns_with_a_bit_identical_backbone(goi_workspace, tmp_path):
    workspace, _ = goi_workspace
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        cfg = _demo_cfg(tmp_path / 'train', max_epochs=8)
        pretrained = _backbone_state(cfg)
        runner = Runner.from_cfg(cfg)
        runner.train()
        val = {k: runner.message_hub.get_scalar(f'val/{k}').current() for k in ('accuracy/top1', 'accuracy/top5')}
        # the frozen backbone did not move by a bit
        trained = runner.model.backbone.state_dict()
        assert trained.keys() == pretrained.keys()
        assert all(torch.equal(trained[k], pretrained[k]) for k in pretrained)
        # 16 classes: chance is 6.25 % top-1, 31.25 % top-5
        assert val['accuracy/top1'] >= 25.0, val
        assert val['accuracy/top5'] >= 60.0, val

        # the checkpoint holds the head and the class list only; testing rebuilds the backbone from init_cfg
        checkpoint = torch.load(osp.join(cfg.work_dir, 'epoch_8.pth'), map_location='cpu', weights_only=False)
        assert set(checkpoint['state_dict']) == {'head.fc.weight', 'head.fc.bias'}
        assert tuple(checkpoint['meta']['dataset_meta']['classes']) == tuple(sorted(GOI_CLASSES))
        test_cfg = _demo_cfg(tmp_path / 'test', max_epochs=8)
        test_cfg.load_from = osp.join(cfg.work_dir, 'epoch_8.pth')
        metrics = Runner.from_cfg(test_cfg).test()

        # another class order for the test set: the head's ids would mean other classes
        shuffled = tmp_path / 'classes_reversed.txt'
        shuffled.write_text('\n'.join(sorted(GOI_CLASSES, reverse=True)) + '\n')
        wrong_cfg = _demo_cfg(tmp_path / 'wrong', max_epochs=8)
        wrong_cfg.load_from = test_cfg.load_from
        wrong_cfg.test_dataloader.dataset.classes = str(shuffled)
        with pytest.raises(ValueError, match='another class list than the test dataset'):
            Runner.from_cfg(wrong_cfg).test()
        wrong_cfg = _demo_cfg(tmp_path / 'wrong_head', max_epochs=8)
        wrong_cfg.model.head.num_classes = 15
        with pytest.raises(ValueError, match='num_classes is 15 but the test dataset has 16 classes'):
            Runner.from_cfg(wrong_cfg).test()
    finally:
        os.chdir(cwd)
    assert metrics['accuracy/top1'] == val['accuracy/top1'] and metrics['accuracy/top5'] == val['accuracy/top5']


def test_probe_builds_from_an_mmpretrain_config(goi_workspace, tmp_path):
    """An mmpretrain project uses the backbone, dataset and transform through custom_imports and scoped names."""
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS as PRETRAIN_DATASETS
    from mmpretrain.registry import MODELS as PRETRAIN_MODELS
    workspace, files = goi_workspace
    config = tmp_path / 'mmpretrain_goi.py'
    config.write_text(f'''
default_scope = 'mmpretrain'
custom_imports = dict(imports=['visft_mm'], allow_failed_imports=False)
model = dict(
    type='ImageClassifier',
    backbone=dict(type='visft_mm.EVAViT', arch='tiny', out_type='cls_token', frozen=True,
                  init_cfg=dict(type='visft_mm.EVAPretrained',
                                checkpoint='{workspace}/data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt')),
    head=dict(type='LinearClsHead', num_classes=16, in_channels=192, topk=(1, 5)))
dataset = dict(
    type='visft_mm.M3ITGOIDataset', ann_file='{files['goi_val']}', classes='{files['goi_classes']}',
    pipeline=[dict(type='visft_mm.LoadImageFromBase64'), dict(type='Resize', scale=(56, 56), keep_ratio=False),
              dict(type='PackInputs')])
''')
    cfg = Config.fromfile(str(config))
    init_default_scope(cfg.default_scope)
    model = PRETRAIN_MODELS.build(cfg.model)
    model.init_weights()
    dataset = PRETRAIN_DATASETS.build(cfg.dataset)
    assert type(model.backbone).__name__ == 'EVAViT' and model.neck is None
    assert dataset.CLASSES == tuple(sorted(GOI_CLASSES)) and len(dataset) == 32
    batch = model.data_preprocessor(dict(inputs=[dataset[i]['inputs'] for i in range(4)],
                                         data_samples=[dataset[i]['data_samples'] for i in range(4)]))
    assert model.extract_feat(batch['inputs'])[0].shape == (4, 192)  # the CLS token, no neck
    predictions = model(**batch, mode='predict')
    assert len(predictions) == 4 and predictions[0].pred_score.shape == (16,)
