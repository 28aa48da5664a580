"""Stage 2 with the demo configs on synthetic data: exact resume, only the LoRA trains, clear errors up front."""
import os.path as osp
import re
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from visft_mm.registry import MODELS

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft', 'demo', 'stage2_joint_tiny_synthetic.py')
N = 8


def stage2_cfg(workspace, checkpoints, work_dir, max_iters=N, **options):
    cfg = Config.fromfile(CONFIG)
    for task, head in cfg.model.heads.items():
        head.checkpoint = checkpoints[task]
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.update(max_iters=max_iters, val_interval=10**6, val_before_train=False)
    cfg.param_scheduler[0].end = 2
    cfg.param_scheduler[1].update(begin=2, end=N)
    cfg.default_hooks.checkpoint.interval = N // 2
    cfg.default_hooks.logger.interval = 1
    cfg.train_dataloader.caption.batch_size = 2
    cfg.experiment_name = uuid.uuid4().hex
    cfg.merge_from_dict(options)
    return cfg


def _lora(model):
    return {k: v.clone() for k, v in model.state_dict().items() if '.lora_' in k}


def _history(runner, key='train/loss'):
    return runner.message_hub.get_scalar(key).data[0].tolist()


@pytest.fixture(scope='module')
def full_run(demo_workspace, tmp_path_factory):
    """N uninterrupted iterations, then one validation over the three tasks."""
    workspace, checkpoints = demo_workspace
    import os
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        cfg = stage2_cfg(workspace, checkpoints, tmp_path_factory.mktemp('full'))
        runner = Runner.from_cfg(cfg)
        runner.train()
        metrics = runner.val_loop.run()
    finally:
        os.chdir(cwd)
    return runner, metrics


def test_resume_repeats_the_uninterrupted_run(full_run, demo_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    full, _ = full_run
    first = Runner.from_cfg(stage2_cfg(workspace, checkpoints, tmp_path, max_iters=N // 2))
    first.train()
    half = str(tmp_path / f'iter_{N // 2}.pth')

    saved = torch.load(half, map_location='cpu', weights_only=False)
    # LoRA only (no heads, no EVA weights), plus the caption head's vocabulary that guards its checkpoint
    assert set(saved['state_dict']) == set(_lora(first.model)) | {'heads.caption._extra_state'}
    assert saved['optimizer']['state'] and saved['task_sampling']['task_probs'] == \
        dict(caption=0.4, detection=0.3, segmentation=0.3)
    assert sum(saved['task_sampling']['task_counts'].values()) == N // 2

    resumed = Runner.from_cfg(stage2_cfg(workspace, checkpoints, tmp_path, resume=True, load_from=half))
    resumed.train()
    assert resumed.iter == N
    for key, value in _lora(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
    assert _history(resumed) == _history(full)  # every iteration's loss, bit for bit
    assert resumed.train_loop.task_counts == full.train_loop.task_counts
    for task in full.train_loop.tasks:
        assert _history(resumed, f'train/{task}.iters') == _history(full, f'train/{task}.iters')


def test_only_the_lora_changes(full_run, demo_workspace, monkeypatch):
    workspace, _ = demo_workspace
    monkeypatch.chdir(workspace)
    trained, _ = full_run
    fresh = MODELS.build(trained.cfg.model)  # same config: EVA weights and heads from their files
    fresh.init_weights()
    after, before = trained.model.state_dict(), fresh.state_dict()
    assert set(after) == set(before)
    changed = {k for k in after if not torch.equal(after[k], before[k])}  # incl. the caption vocabulary
    lora_b = {k for k in after if '.lora_B.' in k}
    assert lora_b <= changed  # lora_B starts at zero and trains
    assert all('.lora_' in k for k in changed), sorted(k for k in changed if '.lora_' not in k)[:5]
    trainable = {n for n, p in trained.model.named_parameters() if p.requires_grad}
    assert trainable and all('.lora_' in n for n in trainable)


def test_validation_reports_every_task(full_run):
    _, metrics = full_run
    for key in ('detection/coco/bbox_mAP', 'segmentation/coco/segm_mAP', 'caption/caption/CIDEr'):
        assert key in metrics and metrics[key] >= 0


def test_per_task_losses_and_counts_are_logged(full_run):
    runner, _ = full_run
    counts = {task: _history(runner, f'train/{task}.iters')[-1] for task in runner.train_loop.tasks}
    assert sum(counts.values()) == N and counts == dict(runner.train_loop.task_counts)
    for task, count in counts.items():
        if count:
            assert len(_history(runner, f'train/{task}.loss')) == count


@pytest.mark.parametrize('probs, message', [
    (dict(caption=0.5, detection=0.3, segmentation=0.3), 'sum to 1.1'),
    (dict(caption=0.4, detection=0.3, depth=0.3), "task 'depth' of train_cfg.task_probs has no dataloader"),
    (dict(caption=0.5, detection=0.6, segmentation=-0.1), "task_probs['segmentation'] = -0.1"),
    (dict(caption=0.5, detection=0.5), "train_dataloader has ['segmentation'] but train_cfg.task_probs does not"),
])
def test_bad_sampling_settings_fail_before_training(demo_workspace, tmp_path, monkeypatch, probs, message):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    cfg = stage2_cfg(workspace, checkpoints, tmp_path)
    cfg.train_cfg.task_probs = probs
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match=re.escape(message)):
        runner.train()
    assert not list(tmp_path.glob('iter_*.pth'))


def test_a_task_without_a_head_fails_before_training(demo_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    cfg = stage2_cfg(workspace, checkpoints, tmp_path)
    cfg.train_dataloader['depth'] = cfg.train_dataloader.caption
    cfg.train_cfg.task_probs = dict(caption=0.4, detection=0.3, segmentation=0.2, depth=0.1)
    with pytest.raises(ValueError, match=r"names \['depth'\], but the model has heads for"):
        Runner.from_cfg(cfg).train()


def test_a_missing_stage1_checkpoint_fails_before_training(demo_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    missing = str(tmp_path / 'stage1_detr' / 'iter_150000.pth')
    runner = Runner.from_cfg(stage2_cfg(workspace, dict(checkpoints, detection=missing), tmp_path))
    with pytest.raises(FileNotFoundError, match='iter_150000.pth.*detection head'):
        runner.train()
    assert not list(tmp_path.glob('iter_*.pth'))


def test_gradient_checkpointing_gives_the_same_training(demo_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    from visft_mm.models.backbones import eva_vit
    checkpointed = []  # blocks run through torch.utils.checkpoint: proves with_cp is on, not merely harmless
    real_checkpoint = eva_vit.cp.checkpoint
    monkeypatch.setattr(eva_vit.cp, 'checkpoint', lambda *a, **k: checkpointed.append(1) or real_checkpoint(*a, **k))
    runs = {}
    for with_cp in (False, True):
        cfg = stage2_cfg(workspace, checkpoints, tmp_path / str(with_cp), max_iters=3)
        cfg.model.backbone.with_cp = with_cp
        runner = Runner.from_cfg(cfg)
        runner.train()
        runs[with_cp] = (_lora(runner.model), _history(runner), len(checkpointed))
    assert runs[False][2] == 0 and runs[True][2] == 3 * 4  # 3 iterations x 4 blocks of the tiny arch
    assert runs[True][1] == runs[False][1]
    for key, value in runs[False][0].items():
        assert torch.allclose(value, runs[True][0][key], rtol=0, atol=1e-7), key
