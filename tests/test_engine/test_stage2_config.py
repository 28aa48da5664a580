"""Stage-2 configs read their stage-1 configs (one helper), the without-a-task ablations renormalise in the
sampler, and TensorBoard is one config line."""
import os.path as osp
import uuid

import pytest
from mmengine.config import Config

from visft_mm.engine.loops import TaskSampler
from visft_mm.engine.stage2_config import stage2_from_stage1
from visft_mm.registry import VISUALIZERS

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs')
VISFT = osp.join(CONFIGS, 'visft')
S9B = 'checkpoints/EVA02_CLIP_E_psz14_plus_s9B.pt'


@pytest.mark.parametrize('stage2, arch, stage1', [
    ('stage2_joint.py', 'eva-e', 'stage1_{}_eva_e.py'),
    ('stage2_joint_eva_g.py', 'eva-g', 'stage1_{}_eva_g.py'),
])
def test_stage2_configs_are_their_stage1_configs(stage2, arch, stage1):
    cfg = Config.fromfile(osp.join(VISFT, stage2))
    assert cfg.model.backbone.arch == arch and cfg.model.backbone.lora.r == 64
    for task, name in dict(caption='caption', detection='detr', segmentation='mask2former').items():
        first = Config.fromfile(osp.join(VISFT, stage1.format(name)))
        assert cfg.model.backbone.init_cfg == first.model.backbone.init_cfg
        first.model.pop('backbone')
        assert cfg.model.heads[task].model == first.model
        assert cfg.model.heads[task].checkpoint == \
            f'work_dirs/{osp.splitext(stage1.format(name))[0]}/iter_{first.train_cfg.max_iters}.pth'
        assert cfg.val_evaluator[task] == first.val_evaluator == cfg.test_evaluator[task]
        assert cfg.train_dataloader[task].dataset == first.train_dataloader.dataset
    assert cfg.train_dataloader.caption.batch_size == 8
    if arch == 'eva-e':
        assert cfg.model.backbone.init_cfg.checkpoint == S9B
        assert Config.fromfile(osp.join(CONFIGS, '_base_', 'constants.py')).eva_e_checkpoint == S9B


def test_stage1_configs_must_share_one_backbone(tmp_path):
    odd = tmp_path / 'stage1_detr_other_weights.py'
    odd.write_text(f"_base_ = ['{osp.abspath(osp.join(VISFT, 'stage1_detr_eva_g.py'))}']\n"
                   "model = dict(backbone=dict(init_cfg=dict(checkpoint='other.pt')))\n"
                   "work_dir = 'runs/detr'\n")
    caption = osp.join(VISFT, 'stage1_caption_eva_g.py')
    with pytest.raises(ValueError, match=r'stage1_detr_other_weights\.py trained the detection head on .*other\.pt'):
        stage2_from_stage1(caption=caption, detection=str(odd))
    odd.write_text(odd.read_text().replace("other.pt", "checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt"))
    parts = stage2_from_stage1(caption=caption, detection=str(odd), batch_size=dict(detection=3))
    assert parts.model.heads.detection.checkpoint == 'runs/detr/iter_150000.pth'  # the config's own work_dir
    assert parts.train_dataloader.detection.batch_size == 3 and parts.train_dataloader.caption.batch_size == 32
    with pytest.raises(ValueError, match=r"batch_size names task\(s\) \['segmentation'\]"):
        stage2_from_stage1(caption=caption, batch_size=dict(segmentation=1))


@pytest.mark.parametrize('task', ['caption', 'detection', 'segmentation'])
def test_without_a_task_ablations_draw_the_others_in_the_paper_ratio(task):
    cfg = Config.fromfile(osp.join(VISFT, 'ablations', f'stage2_without_{task}.py'))
    assert cfg.train_cfg.task_probs == dict(caption=0.4, detection=0.3, segmentation=0.3)  # the paper's, unedited
    assert 'task_probs' not in cfg  # no top-level copy left to go stale
    probs = TaskSampler(cfg.train_cfg.task_probs, without=cfg.train_cfg.without_tasks).probs
    others = {t: p for t, p in cfg.train_cfg.task_probs.items() if t != task}
    assert probs[task] == 0 and sum(probs.values()) == pytest.approx(1)
    assert {t: probs[t] for t in others} == pytest.approx({t: p / sum(others.values()) for t, p in others.items()})


@pytest.mark.parametrize('config', ['stage1_caption_eva_g.py', 'stage1_detr_eva_g.py', 'stage2_joint.py'])
def test_tensorboard_is_one_config_line(tmp_path, config):
    user = tmp_path / 'with_tensorboard.py'
    user.write_text(f"_base_ = ['{osp.abspath(osp.join(VISFT, config))}']\n"
                    "visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')])"
                    "\n")
    cfg = Config.fromfile(str(user))
    visualizer = VISUALIZERS.build(dict(cfg.visualizer, name=uuid.uuid4().hex, save_dir=str(tmp_path / 'vis')))
    visualizer.add_scalars(dict(loss=1.0), step=1)
    visualizer.close()
    assert list((tmp_path / 'vis').rglob('events.out.tfevents.*')) and list((tmp_path / 'vis').rglob('scalars.json'))
    plain = Config.fromfile(osp.join(VISFT, config)).visualizer
    assert plain.type == cfg.visualizer.type and [b['type'] for b in plain.vis_backends] == ['LocalVisBackend']
