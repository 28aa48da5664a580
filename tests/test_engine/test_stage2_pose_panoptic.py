"""Table 12's two extra settings in stage 2, through config only: '+ pose' (mmpose's top-down head as a fourth task)
and 'r/panoptic' (the Mask2Former head trained for panoptic segmentation in place of instance segmentation).

Each resumes bit for bit and validates with mmpose's keypoint AP / mmdet's PQ beside the other tasks' metrics."""
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
def extra_workspace(demo_workspace):
    """The demo workspace plus the synthetic pose / panoptic sets and their stage-1 heads (2 iterations each)."""
    from visft_mm.testing.synthetic_panoptic import generate_panoptic_data
    from visft_mm.testing.synthetic_pose import generate_pose_data
    workspace, checkpoints = demo_workspace
    root = str(workspace / 'data' / 'synthetic')
    generate_pose_data(root, num_train=8, num_val=4)
    generate_panoptic_data(root, num_train=8, num_val=4)
    checkpoints = dict(checkpoints)
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
            Runner.from_cfg(cfg).train()
            checkpoints[task] = osp.join(cfg.work_dir, 'iter_2.pth')
    finally:
        os.chdir(cwd)
    return workspace, checkpoints


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
    # one shared backbone: the new heads' stage-1 configs trained on the stage-2 backbone's frozen weights
    assert pose.model.backbone == panoptic.model.backbone
