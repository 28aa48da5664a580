"""Work is never lost: nan/inf stops (or skips) before it trains or reaches a checkpoint, rotation never deletes
the last good checkpoint, a torn pointer or newest checkpoint falls back to the newest readable one bit-exactly,
and a checkpoint of other shapes (a LoRA of another rank) is refused before the first iteration."""
import re
import shutil

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.model import BaseModel

from visft_mm.checkpoint import load_checkpoint_file
from engine_test_models import Points, Regression, make_visft_runner


class PoisonedRegression(Regression):
    """The regression whose loss is multiplied by nan in the given (1-based) training iterations."""

    def __init__(self, poisoned=()):
        super().__init__()
        self.poisoned, self.calls = set(poisoned), 0

    def forward(self, inputs, targets, mode='loss'):
        out = super().forward(inputs, targets, mode)
        if mode == 'loss':
            self.calls += 1
            if self.calls in self.poisoned:
                out['loss'] = out['loss'] * float('nan')
        return out


class RecordWeights(Hook):
    def __init__(self):
        self.after = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        self.after[runner.iter + 1] = runner.model.backbone.weight.detach().clone()


class LrJump(Hook):
    """Sets the lr to inf before the given (1-based) iteration: the weights become non-finite after its update."""

    def __init__(self, at):
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter + 1 == self.at:
            for group in runner.optim_wrapper.param_groups:
                group['lr'] = float('inf')


def _weights(path):
    return load_checkpoint_file(str(path))['state_dict']['backbone.weight']


def _pointer(work_dir):
    return (work_dir / 'last_checkpoint').read_text()


def test_nan_loss_stops_before_the_update_and_keeps_the_last_checkpoint(visft_runner, tmp_path):
    work = tmp_path / 'work'
    runner = visft_runner(work, max_iters=8, model=PoisonedRegression(poisoned=[5]), max_keep_ckpts=1)
    with pytest.raises(FloatingPointError, match=r'iteration 5: non-finite gradients .*backbone\.weight.*'
                       r'iter_4\.pth, is untouched'):
        runner.train()
    assert sorted(p.name for p in work.glob('iter_*')) == ['iter_4.pth']
    assert _pointer(work) == str(work / 'iter_4.pth')
    assert torch.isfinite(runner.model.backbone.weight).all()  # the poisoned update was never applied
    assert torch.equal(_weights(work / 'iter_4.pth'), runner.model.backbone.weight.detach())


def test_skip_drops_exactly_the_poisoned_updates(visft_runner, tmp_path):
    record = RecordWeights()
    runner = visft_runner(tmp_path / 'work', max_iters=8, model=PoisonedRegression(poisoned=[3, 5]),
                          hooks=dict(non_finite=dict(type='NonFiniteGuardHook', on_non_finite='skip')),
                          custom_hooks=[record])
    runner.train()
    assert runner.iter == 8 and runner.message_hub.get_info('non_finite_skips') == 2
    assert torch.equal(record.after[3], record.after[2]) and torch.equal(record.after[5], record.after[4])
    assert not torch.equal(record.after[4], record.after[3])
    state = runner.optim_wrapper.optimizer.state[runner.model.backbone.weight]
    assert int(state['step']) == 6  # AdamW stepped 8 - 2 times: its moments never saw the nan
    assert torch.isfinite(_weights(tmp_path / 'work' / 'iter_8.pth')).all()


def test_non_finite_weights_are_never_checkpointed(visft_runner, tmp_path):
    """An lr jump at iteration 4 makes the weights inf: the iteration-4 checkpoint is refused, iter_2 survives
    rotation (max_keep_ckpts=1) and the pointer still names it."""
    work = tmp_path / 'work'
    runner = visft_runner(work, max_iters=8, max_keep_ckpts=1, custom_hooks=[LrJump(at=4)])
    with pytest.raises(FloatingPointError, match='refusing to write a checkpoint at iteration 4'):
        runner.train()
    assert sorted(p.name for p in work.glob('iter_*')) == ['iter_2.pth']
    assert _pointer(work) == str(work / 'iter_2.pth')
    assert torch.isfinite(_weights(work / 'iter_2.pth')).all()


def test_non_finite_features_stop_before_the_heads(visft_runner, tmp_path):
    runner = visft_runner(tmp_path / 'work', max_iters=8, interval=100, custom_hooks=[LrJump(at=3)])
    with pytest.raises(FloatingPointError, match='iteration 4: the backbone produced non-finite features'):
        runner.train()


@pytest.fixture(scope='module')
def interrupted_run(tmp_path_factory):
    """(weights after 8 uninterrupted iterations, work dir of a run stopped after 6 of them: checkpoints iter_2,
    iter_4, iter_6 and the pointer at iter_6)."""
    reference = make_visft_runner(tmp_path_factory.mktemp('reference'), max_iters=8)
    reference.train()
    work = tmp_path_factory.mktemp('interrupted')
    make_visft_runner(work, max_iters=6, max_keep_ckpts=3).train()
    return reference.model.backbone.weight.detach().clone(), work


@pytest.fixture
def work(interrupted_run, tmp_path):
    """A copy of the interrupted run's work dir (its pointer moved along)."""
    _, source = interrupted_run
    copy = tmp_path / 'work'
    shutil.copytree(source, copy)
    (copy / 'last_checkpoint').write_text(_pointer(source).replace(str(source), str(copy)))
    return copy


def test_the_interrupted_run_left_complete_files_only(interrupted_run):
    _, work = interrupted_run
    assert sorted(p.name for p in work.glob('iter_*')) == ['iter_2.pth', 'iter_4.pth', 'iter_6.pth']
    assert _pointer(work) == str(work / 'iter_6.pth')
    assert not list(work.glob('*.partial'))


@pytest.mark.parametrize('damage', ['empty pointer', 'torn newest', 'pointer to a deleted file'])
def test_auto_resume_falls_back_to_the_newest_readable_checkpoint(interrupted_run, work, damage):
    reference, _ = interrupted_run
    newest = work / 'iter_6.pth'
    if damage == 'empty pointer':
        (work / 'last_checkpoint').write_text('')
        expected = newest
    elif damage == 'torn newest':
        newest.write_bytes(newest.read_bytes()[:newest.stat().st_size // 2])
        expected = work / 'iter_4.pth'
    else:
        newest.unlink()
        expected = work / 'iter_4.pth'
    resumed = make_visft_runner(work, max_iters=8, resume=True)
    resumed.train()
    assert resumed.iter == 8
    assert torch.equal(resumed.model.backbone.weight, reference)  # bit-exact with the uninterrupted run
    logs = ''.join(p.read_text() for p in work.glob('*/*.log'))
    assert f'Resuming from {expected}, the newest readable checkpoint' in logs


def test_explicit_torn_resume_file_is_named(work):
    torn = work / 'iter_6.pth'
    torn.write_bytes(torn.read_bytes()[:100])
    runner = make_visft_runner(work, max_iters=8, resume=True, load_from=str(torn))
    with pytest.raises(ValueError, match=re.escape(repr(str(torn))) + ' is not a readable checkpoint'):
        runner.train()


def test_no_readable_checkpoint_is_an_error(work):
    for path in work.glob('iter_*.pth'):
        path.write_bytes(b'')
    with pytest.raises(RuntimeError, match='no readable checkpoint in .*iter_6.pth.*iter_2.pth'):
        make_visft_runner(work, max_iters=8, resume=True).train()


class LoraModel(BaseModel):
    """A tiny EVA-ViT with LoRA of rank ``r``; the loss is the mean feature."""

    def __init__(self, r):
        super().__init__()
        from visft_mm.models import EVAViT
        self.backbone = EVAViT(arch='tiny', img_size=28, out_type='featmap', frozen=True,
                               lora=dict(r=r, alpha=1, dropout=0.0, targets=('q_proj', 'v_proj')))

    def forward(self, inputs, targets, mode='loss'):
        loss = self.backbone(inputs.view(-1, 3, 28, 28))[-1].square().mean()
        return dict(loss=loss) if mode == 'loss' else [loss]


@pytest.mark.parametrize('resume', [False, True], ids=['load_from', 'resume'])
def test_lora_of_another_rank_is_refused(visft_runner, tmp_path, resume):
    images = Points(width=3 * 28 * 28)
    visft_runner(tmp_path / 'r8', max_iters=2, model=LoraModel(r=8), dataset=images).train()
    path = str(tmp_path / 'r8' / 'iter_2.pth')
    runner = visft_runner(tmp_path / 'r64', max_iters=4, model=LoraModel(r=64), dataset=images, load_from=path,
                          resume=resume)
    with pytest.raises(ValueError, match=re.escape(repr(path)) + r".*'backbone\..*lora_[AB].*'.*"
                       'LoRA rank 8 in the checkpoint, rank 64 in the model'):
        runner.train()
    assert runner.iter == 0


def test_other_shapes_are_refused(visft_runner, tmp_path):
    visft_runner(tmp_path / 'a', max_iters=2).train()
    path = str(tmp_path / 'a' / 'iter_2.pth')
    runner = visft_runner(tmp_path / 'b', max_iters=4, model=Regression(width=3), load_from=path)
    with pytest.raises(ValueError, match=r"'backbone.weight' has shape \(1, 2\) in the checkpoint and \(1, 3\)"):
        runner.train()

