"""Stage 2 of the demo configs under faults: a NaN stops naming iteration and task (never a scipy error in the
Hungarian matcher), and a corrupt JPEG with ``on_unreadable_image='skip'`` is counted and resumes bit-exactly."""
import shutil

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner
from test_stage2_training import N, _history, _lora, stage2_cfg

from visft_mm.checkpoint import load_checkpoint_file

pytestmark = pytest.mark.slow


class PoisonLora(Hook):
    """Writes nan into one LoRA weight before the given (1-based) iteration."""

    def __init__(self, at):
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter + 1 == self.at:
            with torch.no_grad():
                next(p for n, p in runner.model.named_parameters() if '.lora_B.' in n).fill_(float('nan'))


@pytest.mark.parametrize('task', ['detection', 'segmentation', 'caption'])
def test_nan_stops_before_the_heads_naming_iteration_and_task(demo_workspace, tmp_path, monkeypatch, task):
    workspace, checkpoints = demo_workspace
    monkeypatch.chdir(workspace)
    cfg = stage2_cfg(workspace, checkpoints, tmp_path, max_iters=3)
    cfg.train_cfg.task_probs = {t: float(t == task) for t in ('caption', 'detection', 'segmentation')}
    cfg.default_hooks.checkpoint.update(interval=1, max_keep_ckpts=1)
    runner = Runner.from_cfg(cfg)
    runner.register_hook(PoisonLora(at=3))
    with pytest.raises(FloatingPointError, match=f"iteration 3 \\(task '{task}'\\): the backbone produced "
                       'non-finite features.*iter_2.pth, is untouched'):
        runner.train()
    assert sorted(p.name for p in tmp_path.glob('iter_*')) == ['iter_2.pth']
    saved = load_checkpoint_file(str(tmp_path / 'iter_2.pth'))['state_dict']
    assert all(torch.isfinite(v).all() for k, v in saved.items() if '.lora_' in k)


@pytest.fixture
def corrupt_workspace(demo_workspace, tmp_path):
    """A copy of the demo data with four training images overwritten by garbage."""
    workspace, checkpoints = demo_workspace
    copy = tmp_path / 'workspace'
    (copy / 'data').mkdir(parents=True)
    shutil.copytree((workspace / 'data' / 'synthetic').resolve(), copy / 'data' / 'synthetic')
    images = sorted((copy / 'data' / 'synthetic' / 'coco' / 'train2017').iterdir())
    for image in images[::6]:
        image.write_bytes(b'\xff\xd8\xff\xe0 truncated')
    return copy, checkpoints


def _skipping(cfg):
    for loader in cfg.train_dataloader.values():
        loader.dataset.on_unreadable_image = 'skip'
    return cfg


def test_corrupt_images_are_skipped_counted_and_resume_bit_exactly(corrupt_workspace, tmp_path, monkeypatch):
    workspace, checkpoints = corrupt_workspace
    monkeypatch.chdir(workspace)
    with pytest.raises(OSError, match="cannot be read.*on_unreadable_image='skip'"):
        Runner.from_cfg(stage2_cfg(workspace, checkpoints, tmp_path / 'default')).train()

    full = Runner.from_cfg(_skipping(stage2_cfg(workspace, checkpoints, tmp_path / 'full')))
    full.train()
    log = ''.join(p.read_text() for p in (tmp_path / 'full').glob('*/*.log'))
    assert 'skipping unreadable image' in log and 'skipped so far' in log

    first = Runner.from_cfg(_skipping(stage2_cfg(workspace, checkpoints, tmp_path / 'resumed', max_iters=N // 2)))
    first.train()
    resumed = Runner.from_cfg(_skipping(stage2_cfg(workspace, checkpoints, tmp_path / 'resumed', resume=True)))
    resumed.train()
    assert _history(resumed) == _history(full)
    for key, value in _lora(full.model).items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
