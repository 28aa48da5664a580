"""Every checkpoint the training writes — interval, last, ``save_best`` — is complete or absent: a save that dies
half-way (a kill, a full disk, a folder that became read-only) leaves the files written before intact, no partial
file, and an error naming the file."""
import errno
import re

import pytest
from mmengine.fileio import LocalBackend

from visft_mm.checkpoint.io import load_checkpoint_file
from engine_test_models import make_visft_runner


def _best_hook(tmp_path, max_iters=2):
    """A trained runner whose checkpoint hook keeps the best ``loss``; returns (runner, hook)."""
    runner = make_visft_runner(tmp_path / 'work', max_iters=max_iters,
                               checkpoint_options=dict(save_best='loss', rule='less'))
    runner.train()
    hook = next(h for h in runner.hooks if type(h).__name__ == 'AtomicCheckpointHook')
    return runner, hook


def _dying_put(error):
    """``LocalBackend.put`` that writes half of the bytes, then raises ``error`` (a kill or a full disk mid-write)."""

    def put(self, obj, filepath):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        raise error

    return put


def test_a_new_best_replaces_the_old_one_only_once_complete(tmp_path):
    runner, hook = _best_hook(tmp_path)
    work = tmp_path / 'work'
    hook.after_val_epoch(runner, dict(loss=1.0))
    first = work / 'best_loss_iter_2.pth'
    assert load_checkpoint_file(str(first))['meta']['iter'] == 2
    runner.train_loop._iter = 4  # a later validation finds a better model
    hook.after_val_epoch(runner, dict(loss=0.5))
    assert not first.exists() and load_checkpoint_file(str(work / 'best_loss_iter_4.pth'))['meta']['iter'] == 4
    assert runner.message_hub.get_info('best_ckpt') == str(work / 'best_loss_iter_4.pth')
    assert not list(work.glob('*.partial'))


@pytest.mark.parametrize('error', [OSError(errno.ENOSPC, 'No space left on device'),
                                   PermissionError(errno.EACCES, 'Permission denied'), KeyboardInterrupt()],
                         ids=['disk full', 'read-only', 'killed'])
def test_a_best_save_that_dies_keeps_the_previous_best(tmp_path, monkeypatch, error):
    runner, hook = _best_hook(tmp_path)
    work = tmp_path / 'work'
    hook.after_val_epoch(runner, dict(loss=1.0))
    previous = (work / 'best_loss_iter_2.pth').read_bytes()
    runner.train_loop._iter = 4
    monkeypatch.setattr(LocalBackend, 'put', _dying_put(error))
    expected = (OSError, 'cannot write checkpoint .*best_loss_iter_4.pth') if isinstance(error, OSError) else (
        KeyboardInterrupt, None)
    with pytest.raises(expected[0], match=expected[1]):
        hook.after_val_epoch(runner, dict(loss=0.5))
    assert (work / 'best_loss_iter_2.pth').read_bytes() == previous  # mmengine deletes it before writing
    assert not (work / 'best_loss_iter_4.pth').exists()
    if isinstance(error, OSError):
        assert not list(work.glob('*.partial'))  # a kill leaves its .partial: never read, resumed past


@pytest.mark.parametrize('error', [OSError(errno.ENOSPC, 'No space left on device'),
                                   PermissionError(errno.EACCES, 'Permission denied')], ids=['disk full', 'read-only'])
def test_a_full_or_read_only_work_dir_stops_naming_the_checkpoint(tmp_path, monkeypatch, error):
    work = tmp_path / 'work'
    make_visft_runner(work, max_iters=2).train()
    good, pointer = (work / 'iter_2.pth').read_bytes(), (work / 'last_checkpoint').read_text()
    runner = make_visft_runner(work, max_iters=4, resume=True)
    monkeypatch.setattr(LocalBackend, 'put', _dying_put(error))
    with pytest.raises(OSError, match=re.escape(f'cannot write checkpoint {work / "iter_4.pth"}') + '.*'
                       + re.escape(error.strerror) + '.*intact'):
        runner.train()
    assert (work / 'iter_2.pth').read_bytes() == good and (work / 'last_checkpoint').read_text() == pointer
    assert not list(work.glob('*.partial')) and not (work / 'iter_4.pth').exists()


def test_a_kill_between_the_checkpoint_and_its_pointer_still_resumes(tmp_path):
    """The pointer is written after the checkpoint: a kill in between leaves checkpoints and no pointer."""
    work = tmp_path / 'work'
    make_visft_runner(work, max_iters=4).train()
    (work / 'last_checkpoint').unlink()
    resumed = make_visft_runner(work, max_iters=6, resume=True)
    resumed.train()
    logs = ''.join(p.read_text() for p in work.glob('*/*.log'))
    assert 'last_checkpoint does not exist. Resuming from ' + str(work / 'iter_4.pth') in logs
    assert (work / 'last_checkpoint').read_text() == str(work / 'iter_6.pth')
