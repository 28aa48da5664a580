"""ViSFT: heads from stage-1 checkpoints, strictly; frozen-head behaviour; builds without files; lr ablation."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from visft_mm.registry import MODELS

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft')
DEMO = osp.join(CONFIGS, 'demo', 'stage2_joint_tiny_synthetic.py')


@pytest.fixture
def demo_cfg(demo_workspace, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    cfg = Config.fromfile(DEMO)
    for task, head in cfg.model.heads.items():
        head.checkpoint = checkpoints[task]
    return cfg


def _save_variant(path, source, edit):
    checkpoint = torch.load(source, map_location='cpu', weights_only=False)
    edit(checkpoint)
    torch.save(checkpoint, path)
    return str(path)


def test_heads_load_from_their_stage1_checkpoints(demo_cfg, demo_workspace):
    _, checkpoints = demo_workspace
    model = MODELS.build(demo_cfg.model)
    model.init_weights()
    for task, head in model.heads.items():
        saved = torch.load(checkpoints[task], map_location='cpu', weights_only=False)['state_dict']
        for key, value in head.state_dict().items():
            assert torch.equal(value, saved[key]), (task, key)
        assert not any(p.requires_grad for p in head.parameters())
    assert model.data_preprocessor.preprocessors['detection'] is model.heads['detection'].data_preprocessor


@pytest.mark.parametrize('edit, message', [
    (lambda c: c['state_dict'].pop('bbox_head.fc_cls.weight'), r"missing in the file: bbox_head\.fc_cls\.weight"),
    (lambda c: c['state_dict'].update(extra=torch.zeros(1)), r"not in the model: extra"),
    (lambda c: c['state_dict'].update({'bbox_head.fc_cls.weight': torch.zeros(3, 256)}), 'size mismatch'),
    (lambda c: c['meta'].update(backbone_arch=dict(c['meta']['backbone_arch'], embed_dims=1408)),
     'trained on backbone arch'),
    (lambda c: c['meta'].update(backbone_fingerprint=c['meta']['backbone_fingerprint'] + 1.0),
     'trained on other backbone weights'),
])
def test_a_head_checkpoint_that_does_not_fit_is_an_error_naming_the_file(demo_cfg, demo_workspace, tmp_path, edit,
                                                                          message):
    _, checkpoints = demo_workspace
    bad = _save_variant(tmp_path / 'bad_detr.pth', checkpoints['detection'], edit)
    demo_cfg.model.heads.detection.checkpoint = bad
    model = MODELS.build(demo_cfg.model)
    with pytest.raises(ValueError, match=message) as error:
        model.init_weights()
    assert 'bad_detr.pth' in str(error.value) and 'detection head' in str(error.value)


def test_a_head_checkpoint_without_backbone_record_loads_with_a_warning(demo_cfg, demo_workspace, tmp_path):
    """Checkpoints from other tools lack TrainableCheckpointHook's meta: the head loads (still strictly by key)
    and the log says that its backbone could not be checked."""
    from mmengine.logging import MMLogger
    _, checkpoints = demo_workspace
    demo_cfg.model.heads.detection.checkpoint = _save_variant(tmp_path / 'plain.pth', checkpoints['detection'],
                                                              lambda c: c.pop('meta'))
    model = MODELS.build(demo_cfg.model)
    logger = MMLogger.get_current_instance()
    warnings = []
    logger.warning = warnings.append  # instance attribute: this logger only, for this test
    try:
        model.init_weights()
    finally:
        del logger.warning
    saved = torch.load(checkpoints['detection'], map_location='cpu', weights_only=False)['state_dict']
    assert all(torch.equal(v, saved[k]) for k, v in model.heads['detection'].state_dict().items())
    assert any('plain.pth' in w and 'cannot be checked' in w for w in warnings), warnings


def test_a_caption_head_of_another_vocabulary_is_refused(demo_cfg, demo_workspace, tmp_path):
    _, checkpoints = demo_workspace

    def other_vocabulary(checkpoint):
        words = json.dumps(['<pad>', '<start>', '<end>', '<unk>', 'x']).encode()
        checkpoint['state_dict']['_extra_state'] = torch.tensor(list(words), dtype=torch.uint8)

    demo_cfg.model.heads.caption.checkpoint = _save_variant(tmp_path / 'cap.pth', checkpoints['caption'],
                                                            other_vocabulary)
    model = MODELS.build(demo_cfg.model)
    with pytest.raises(ValueError, match='cap.pth.*another caption vocabulary'):
        model.init_weights()


def test_a_frozen_head_needs_a_checkpoint(demo_cfg):
    demo_cfg.model.heads.segmentation.checkpoint = None
    with pytest.raises(ValueError, match='heads.segmentation is frozen but has no stage-1 checkpoint'):
        MODELS.build(demo_cfg.model)
    demo_cfg.model.heads.segmentation.frozen = False  # trained from scratch: allowed
    model = MODELS.build(demo_cfg.model)
    assert all(p.requires_grad for p in model.heads['segmentation'].parameters())


@pytest.mark.parametrize('mode, heads_training', [('train', True), ('eval', False)])
def test_frozen_head_mode(demo_cfg, mode, heads_training):
    demo_cfg.model.frozen_head_mode = mode
    demo_cfg.model.heads.caption.frozen = False
    model = MODELS.build(demo_cfg.model).train()
    assert model.backbone.training and model.heads['caption'].training  # a trained head always trains
    for task in ('detection', 'segmentation'):
        assert model.heads[task].training is heads_training
        dropouts = [m for m in model.heads[task].modules() if isinstance(m, torch.nn.Dropout) and m.p > 0]
        assert all(d.training is heads_training for d in dropouts)


def test_a_batch_without_a_known_task_is_an_error(demo_cfg):
    model = MODELS.build(demo_cfg.model)
    with pytest.raises(KeyError, match="task=<one of \\['caption', 'detection', 'segmentation'\\]>, got 'depth'"):
        model.data_preprocessor(dict(inputs=[], data_samples=[], task='depth'))


def test_head_lr_ablation_is_config_only(demo_workspace, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    cfg = Config.fromfile(osp.join(CONFIGS, 'ablations', 'stage2_head_lr_x0.1.py'))
    cfg.model = Config.fromfile(DEMO).model  # the demo's small model under the ablation's settings
    for head in cfg.model.heads.values():
        head.frozen = False
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lr_of = {id(p): group['lr'] for group in wrapper.optimizer.param_groups for p in group['params']}
    named = dict(model.named_parameters())
    lora = [n for n in named if '.lora_' in n]
    heads = [n for n in named if n.startswith('heads.')]
    assert {lr_of[id(named[n])] for n in lora} == {1e-5}
    assert all(lr_of[id(named[n])] == pytest.approx(1e-6) for n in heads)
    assert all(named[n].requires_grad for n in heads + lora)
    assert not any(p.requires_grad for n, p in named.items() if n.startswith('backbone.') and '.lora_' not in n)


def test_stage2_eva_e_builds_on_the_meta_device_without_weight_files(synthetic_data, tmp_path):
    cfg = Config.fromfile(osp.join(CONFIGS, 'stage2_joint.py'))
    vocab = tmp_path / 'vocab.json'
    from visft_mm.datasets.captions import Vocabulary
    Vocabulary.build(['a circle'] * 5, min_freq=1).save(str(vocab))
    cfg.model.heads.caption.model.vocab_file = str(vocab)  # the one file a head needs to be built: its words
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    assert model.backbone.arch['embed_dims'] == 1792 and model.backbone.lora_cfg['r'] == 64
    lora = sum(p.numel() for n, p in model.named_parameters() if '.lora_' in n)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert lora == trainable == 29_360_128  # 64 blocks x (q, v) x r 64 x (1792 + 1792)
    assert not osp.exists(cfg.model.heads.detection.checkpoint)  # nothing was read
