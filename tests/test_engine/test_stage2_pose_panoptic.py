"""Table 12's two extra settings in stage 2, through config only: '+ pose' (mmpose's top-down head as a fourth task)
and 'r/panoptic' (the Mask2Former head trained for panoptic segmentation in place of instance segmentation).

Default suite (cheap): both stage-1 heads train 2 iterations and evaluate with mmpose's keypoint AP / mmdet's PQ;
a stage 2 over just those two heads resumes bit for bit; the paper-size configs are checked as data.  Slow: each
Table-12 demo config (with the three default heads) resumes bit for bit and validates every task.
(That the heads learn, above chance, is tests/test_models/test_stage1_pose_panoptic.py.)"""
import os
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

DEMO = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft', 'demo')
EXTRA_STAGE1 = dict(pose='stage1_pose_tiny_synthetic.py', panoptic='stage1_mask2former_panoptic_tiny_synthetic.py')
SETTINGS = dict(pose=('stage2_with_pose_tiny_synthetic.py', 'pose/coco_gt_bbox/AP'),
                panoptic=('stage2_panoptic_tiny_synthetic.py', 'panoptic/coco_panoptic/PQ'))
N = 4


@pytest.fixture(scope='module')
def extra_heads(pose_panoptic_workspace):
    """Stage-1 pose and panoptic heads after 2 iterations: (workspace, {task: checkpoint}, {task: val metrics})."""
    workspace = pose_panoptic_workspace
    checkpoints, metrics = {}, {}
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        for task, name in EXTRA_STAGE1.items():
            cfg = Config.fromfile(osp.join(DEMO, name))
            cfg.work_dir = str(workspace / 'work_dirs' / osp.splitext(name)[0])
            cfg.train_cfg.update(max_iters=2, val_interval=100)
            cfg.default_hooks.checkpoint.interval = 2
            cfg.train_dataloader.batch_size = 2
            cfg.experiment_name = uuid.uuid4().hex
            runner = Runner.from_cfg(cfg)
            runner.train()
            metrics[task] = runner.val_loop.run()
            checkpoints[task] = osp.join(cfg.work_dir, 'iter_2.pth')
    finally:
        os.chdir(cwd)
    return workspace, checkpoints, metrics


@pytest.fixture(scope='module')
def extra_workspace(demo_workspace, extra_heads):
    """The demo workspace (three default stage-1 heads) with the pose / panoptic data and heads beside them."""
    workspace, checkpoints = demo_workspace
    extra, extra_checkpoints, _ = extra_heads
    for name in ('coco_pose', 'coco_panoptic'):
        target = workspace / 'data' / 'synthetic' / name
        if not target.exists():
            target.symlink_to(extra / 'data' / 'synthetic' / name, target_is_directory=True)
    return workspace, dict(checkpoints, **extra_checkpoints)


def test_stage1_heads_are_evaluated_by_mmpose_and_mmdet_metrics(extra_heads):
    _, _, metrics = extra_heads
    pose, panoptic = metrics['pose'], metrics['panoptic']
    # mmpose's CocoMetric (keypoint OKS AP, prefix: ground-truth boxes) and mmdet's CocoPanopticMetric (percent)
    assert {'coco_gt_bbox/AP', 'coco_gt_bbox/AP .5', 'coco_gt_bbox/AR'} <= set(pose), pose
    assert 0 <= pose['coco_gt_bbox/AP'] <= 1
    assert {'coco_panoptic/PQ', 'coco_panoptic/PQ_th', 'coco_panoptic/PQ_st'} <= set(panoptic), panoptic
    assert 0 <= panoptic['coco_panoptic/PQ'] <= 100


def _two_head_cfg(checkpoints, work_dir, max_iters=N, **options):
    """Stage 2 over the pose and panoptic heads only (the demo configs' entries for them): cheap, and it draws both
    tasks in 4 iterations with seed 0 (panoptic, panoptic, pose, panoptic)."""
    cfg = Config.fromfile(osp.join(DEMO, SETTINGS['pose'][0]))
    panoptic = Config.fromfile(osp.join(DEMO, SETTINGS['panoptic'][0]))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader', 'val_evaluator', 'test_evaluator'):
        cfg[key] = dict(pose=cfg[key].pose, panoptic=panoptic[key].panoptic)
    cfg.model.heads = dict(pose=cfg.model.heads.pose, panoptic=panoptic.model.heads.panoptic)
    for task, head in cfg.model.heads.items():
        head.checkpoint = checkpoints[task]
    cfg.train_cfg.task_probs = dict(pose=0.5, panoptic=0.5)  # replaces the four-task dict
    cfg.train_cfg.update(max_iters=max_iters, val_interval=10**6, val_before_train=False)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.optim_wrapper.optimizer.lr = 0.01
    cfg.default_hooks.checkpoint.interval = N // 2
    cfg.train_dataloader.pose.batch_size = 2
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = uuid.uuid4().hex
    cfg.merge_from_dict(options)
    return cfg


def test_pose_and_panoptic_heads_resume_bit_exactly_in_stage2(extra_heads, tmp_path, monkeypatch):
    workspace, checkpoints, _ = extra_heads
    monkeypatch.chdir(workspace)
    full = Runner.from_cfg(_two_head_cfg(checkpoints, tmp_path / 'full'))
    full.train()
    assert full.train_loop.task_counts == dict(panoptic=3, pose=1)
    trainable = {n for n, p in full.model.named_parameters() if p.requires_grad}
    assert trainable and all('.lora_' in n for n in trainable)  # the heads stay frozen: only the LoRA trains
    first = Runner.from_cfg(_two_head_cfg(checkpoints, tmp_path / 'split', max_iters=N // 2))
    first.train()
    resumed = Runner.from_cfg(_two_head_cfg(checkpoints, tmp_path / 'split', resume=True,
                                            load_from=str(tmp_path / 'split' / f'iter_{N // 2}.pth')))
    resumed.train()
    assert resumed.iter == N
    for key, value in _lora(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
    assert any(not torch.equal(v, torch.zeros_like(v)) for k, v in _lora(full.model).items() if '.lora_B.' in k)
    assert _losses(resumed) == _losses(full)
    assert resumed.train_loop.task_counts == full.train_loop.task_counts


def stage2_cfg(setting, checkpoints, work_dir, max_iters=N, **options):
    cfg = Config.fromfile(osp.join(DEMO, SETTINGS[setting][0]))
    for task, head in cfg.model.heads.items():
        head.checkpoint = checkpoints[task]
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.update(max_iters=max_iters, val_interval=10**6, val_before_train=False)
    # the new task drawn often enough that 4 iterations surely run it (the config's own ratio is tested below)
    cfg.train_cfg.task_probs = {task: (0.7 if task == setting else 0.3 / (len(cfg.model.heads) - 1))
                                for task in cfg.model.heads}
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.optim_wrapper.optimizer.lr = 0.01
    cfg.default_hooks.checkpoint.interval = N // 2
    cfg.default_hooks.logger.interval = 1
    cfg.train_dataloader.caption.batch_size = 2
    cfg.train_dataloader[setting].batch_size = 2
    cfg.experiment_name = uuid.uuid4().hex
    cfg.merge_from_dict(options)
    return cfg


def _lora(model):
    return {k: v.clone() for k, v in model.state_dict().items() if '.lora_' in k}


def _losses(runner):
    return runner.message_hub.get_scalar('train/loss').data[0].tolist()


@pytest.mark.slow
@pytest.mark.parametrize('setting', sorted(SETTINGS))
def test_stage2_resumes_bit_exactly_and_validates(setting, extra_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = extra_workspace
    monkeypatch.chdir(workspace)
    full = Runner.from_cfg(stage2_cfg(setting, checkpoints, tmp_path / 'full'))
    full.train()
    assert full.train_loop.task_counts[setting] >= 1  # the new head took part
    trainable = {n for n, p in full.model.named_parameters() if p.requires_grad}
    assert trainable and all('.lora_' in n for n in trainable)  # its head stays frozen: only the LoRA trains

    first = Runner.from_cfg(stage2_cfg(setting, checkpoints, tmp_path / 'split', max_iters=N // 2))
    first.train()
    resumed = Runner.from_cfg(stage2_cfg(setting, checkpoints, tmp_path / 'split', resume=True,
                                         load_from=str(tmp_path / 'split' / f'iter_{N // 2}.pth')))
    resumed.train()
    assert resumed.iter == N
    for key, value in _lora(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
    assert _losses(resumed) == _losses(full)
    assert resumed.train_loop.task_counts == full.train_loop.task_counts

    metrics = full.val_loop.run()
    metric = SETTINGS[setting][1]  # mmpose's CocoMetric (ground-truth boxes) / mmdet's CocoPanopticMetric
    assert metric in metrics and metrics[metric] >= 0, metrics
    assert 'caption/caption/CIDEr' in metrics and 'detection/coco/bbox_mAP' in metrics


def test_the_table12_configs_add_a_task_by_config_only():
    """The paper-size ablations: +pose keeps the three default heads and adds one with its own probability;
    r/panoptic swaps the segmentation task for panoptic (same Mask2Former, 80 things + 53 stuff)."""
    ablations = osp.join(DEMO, '..', 'ablations')
    pose = Config.fromfile(osp.join(ablations, 'stage2_with_pose.py'))
    assert list(pose.model.heads) == ['caption', 'detection', 'segmentation', 'pose']
    assert pose.train_cfg.task_probs == dict(caption=0.4, detection=0.2, segmentation=0.2, pose=0.2)
    assert pose.model.heads.pose.model.type == 'mmpose.TopdownPoseEstimator'
    assert pose.model.heads.pose.checkpoint.endswith(osp.join('stage1_pose_eva_e', 'iter_150000.pth'))
    assert pose.val_evaluator.pose.type == 'mmpose.CocoMetric'
    panoptic = Config.fromfile(osp.join(ablations, 'stage2_panoptic.py'))
    assert list(panoptic.model.heads) == ['caption', 'detection', 'panoptic']
    assert panoptic.train_cfg.task_probs == dict(caption=0.4, detection=0.3, panoptic=0.3)
    head = panoptic.model.heads.panoptic.model
    assert (head.panoptic_head.num_things_classes, head.panoptic_head.num_stuff_classes) == (80, 53)
    assert head.test_cfg.panoptic_on and panoptic.val_evaluator.panoptic.type == 'mmdet.CocoPanopticMetric'
    assert list(panoptic.train_dataloader) == ['caption', 'detection', 'panoptic']
    # one shared backbone: the new heads' stage-1 configs trained on the default heads' (else this raises)
    from visft_mm.engine.stage2_config import stage2_from_stage1
    stage1 = osp.join(DEMO, '..')
    shared = stage2_from_stage1(**{task: osp.join(stage1, f'stage1_{name}_eva_e.py') for task, name in
                                   (('caption', 'caption'), ('pose', 'pose'), ('panoptic', 'mask2former_panoptic'))})
    assert shared.model.backbone.arch == 'eva-e' and set(shared.model.heads) == {'caption', 'pose', 'panoptic'}
