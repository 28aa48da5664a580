"""mmengine 0.10.7 checkpoints (numpy + HistoryBuffer inside) save, load and resume on torch >= 2.6, through
torch's public allow-list: mmengine's own loader is left as it is."""
import pickle

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner.checkpoint import _load_checkpoint
from torch.utils.data import Dataset

import visft_mm  # noqa: F401  (adds mmengine's globals to torch's weights_only allow-list)


class _Regression(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, targets, mode='loss'):
        loss = ((self.linear(inputs) - targets) ** 2).mean()
        return dict(loss=loss) if mode == 'loss' else [loss]


class _Points(Dataset):
    metainfo = dict(classes=('a', 'b'), palette=[(1, 2, 3)])

    def __len__(self):
        return 8

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(inputs=torch.randn(2, generator=g), targets=torch.randn(1, generator=g))


@pytest.fixture
def trained(make_runner, tmp_path):
    runner = make_runner(_Regression(), _Points(), tmp_path / 'first', max_iters=4)
    runner.train()
    return tmp_path / 'first', runner


def test_import_leaves_mmengine_loader_alone():
    """``import visft_mm`` (done above) rebinds nothing in mmengine: the loader and every scheme are mmengine's."""
    from mmengine.runner.checkpoint import CheckpointLoader
    method = CheckpointLoader.__dict__['load_checkpoint']
    assert isinstance(method, classmethod) and not hasattr(method.__func__, '__wrapped__')
    assert method.__func__.__module__ == 'mmengine.runner.checkpoint'
    assert {fn.__module__ for fn in CheckpointLoader._schemes.values()} == {'mmengine.runner.checkpoint'}


def test_default_torch_load_reads_mmengine_checkpoint(trained):
    """torch's own default (weights_only=True on torch >= 2.6) reads what mmengine wrote, once visft_mm is imported."""
    work_dir, _ = trained
    ckpt = torch.load(work_dir / 'iter_4.pth', weights_only=True)
    assert ckpt['meta']['iter'] == 4


def test_load_checkpoint_restores_numpy_history(trained):
    work_dir, _ = trained
    ckpt = _load_checkpoint(str(work_dir / 'iter_4.pth'))
    loss = ckpt['message_hub']['log_scalars']['train/loss']
    assert len(loss.data[0]) == 4
    assert ckpt['meta']['iter'] == 4


def test_resume_continues_from_saved_iteration(trained, make_runner, tmp_path):
    work_dir, first = trained
    resumed = make_runner(_Regression(), _Points(), tmp_path / 'resumed', max_iters=6, resume=True,
                          load_from=str(work_dir / 'iter_4.pth'))
    resumed.train()
    assert resumed.iter == 6
    # The resumed run started from the saved weights, not a fresh init.
    saved = _load_checkpoint(str(work_dir / 'iter_4.pth'))['state_dict']
    assert not torch.equal(saved['linear.weight'], resumed.model.linear.weight.detach())


def test_load_from_weights(trained, make_runner, tmp_path):
    work_dir, first = trained
    runner = make_runner(_Regression(), _Points(), tmp_path / 'loaded', max_iters=1,
                         load_from=str(work_dir / 'iter_4.pth'))
    runner.load_or_resume()
    assert torch.equal(runner.model.linear.weight, first.model.linear.weight)


class _Evil:
    """``getattr`` on an allowed class, aiming at something other than a statistics method."""

    def __reduce__(self):
        from mmengine.logging import HistoryBuffer
        return (getattr, (HistoryBuffer, '__init__'))


class _Unknown:
    pass


@pytest.mark.parametrize('payload, message', [
    (_Evil(), 'refusing getattr'),
    (_Unknown(), '_Unknown'),
])
def test_other_globals_are_still_refused(tmp_path, payload, message):
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, payload=payload), path)
    with pytest.raises(pickle.UnpicklingError, match=message):
        _load_checkpoint(str(path))
