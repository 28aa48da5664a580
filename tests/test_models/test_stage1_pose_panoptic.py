"""The pose and panoptic stage-1 heads learn on their synthetic sets, judged by mmpose's COCO keypoint AP (ground-
truth boxes) and mmdet's PQ on the held-out val images.

Chance level is measured, not assumed: the same runner is evaluated before training (an untrained head on the same
frozen backbone).  A run passes when the loss falls and the metric rises to at least a floor and 3x the untrained
value.  Each takes minutes on 2 cores: slow.  (The cheap default-suite checks are in
tests/test_engine/test_stage2_pose_panoptic.py.)
"""
import os.path as osp
import uuid

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft', 'demo')


def _learn(name, tmp_path, iters, metric):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.update(max_iters=iters, val_interval=iters)
    cfg.param_scheduler[1].end = iters
    cfg.default_hooks.checkpoint.interval = iters
    cfg.experiment_name = uuid.uuid4().hex
    runner = Runner.from_cfg(cfg)
    before = runner.test()[metric]
    runner.train()
    losses = runner.message_hub.get_scalar('train/loss').data[0]
    after = runner.test()[metric]
    print(f'{name}: loss {losses[:10].mean():.3f} -> {losses[-10:].mean():.3f}, {metric} {before:.3f} -> {after:.3f}')
    return before, after, losses


@pytest.mark.slow
def test_pose_head_learns_keypoints(pose_panoptic_workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(pose_panoptic_workspace)
    before, after, losses = _learn('stage1_pose_tiny_synthetic.py', tmp_path, 200, 'coco_gt_bbox/AP')
    assert losses[-10:].mean() < 0.8 * losses[:10].mean()
    assert after >= max(0.1, 3 * before), (before, after)


@pytest.mark.slow
def test_panoptic_head_learns_things_and_stuff(pose_panoptic_workspace, tmp_path, monkeypatch):
    monkeypatch.chdir(pose_panoptic_workspace)
    before, after, losses = _learn('stage1_mask2former_panoptic_tiny_synthetic.py', tmp_path, 100,
                                   'coco_panoptic/PQ')
    assert losses[-10:].mean() < 0.5 * losses[:10].mean()
    assert after >= max(20.0, 3 * before), (before, after)  # PQ in percent
