"""Checkpoints that a kill never tears and a failed save never costs.

mmengine's ``CheckpointHook`` deletes the oldest kept checkpoint *before* saving the new one, writes the file in
place, then rewrites ``last_checkpoint`` in place: a kill at the wrong moment leaves a truncated newest checkpoint
or an empty pointer (``--resume`` then fails), and a save that fails (e.g. refused as non-finite by
:class:`NonFiniteGuardHook`) has already deleted a good checkpoint.  ``save_best`` has the same two faults: the
previous best is deleted first and the new one written in place.
"""
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend

from visft_mm.checkpoint.io import atomic_write
from visft_mm.private_apis import CheckpointHookSaveStep
from visft_mm.registry import HOOKS


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHookSaveStep):
    """``CheckpointHook`` (same arguments) that writes each checkpoint, each ``save_best`` checkpoint and
    ``last_checkpoint`` atomically (temporary file + ``os.replace``) and deletes old checkpoints
    (``max_keep_ckpts``, the previous best) only after the new one and the pointer are in place.  Other storage
    backends than local files keep mmengine's behaviour."""

    def _save_best_checkpoint(self, runner, metrics):  # mmengine-private: pinned by test_atomic_saves.py
        # mmengine's logic (which metric is better, names, message hub) runs unchanged; only its two file operations
        # are redirected: the best checkpoint is written through a partial file, the previous one removed afterwards
        if not self.save_best or not isinstance(self.file_backend, LocalBackend):
            return super()._save_best_checkpoint(runner, metrics)
        backend, deferred = self.file_backend, _DeferredRemovals(self.file_backend)
        self.file_backend = deferred
        try:
            super()._save_best_checkpoint(_AtomicSaves(runner, self), metrics)
        finally:
            self.file_backend = backend
        bests = [getattr(self, 'best_ckpt_path', None), *getattr(self, 'best_ckpt_path_dict', {}).values()]
        deferred.remove_now(keep=bests)

    def _save_atomically(self, runner, out_dir, filename, **kwargs):
        """``runner.save_checkpoint`` to ``filename.partial``, then (main process) fsync and rename."""
        partial = f'{filename}.partial'
        partial_path = osp.join(out_dir, partial)
        try:
            runner.save_checkpoint(out_dir, partial, **kwargs)
            if not is_main_process():
                return
            with open(partial_path, 'rb+') as f:
                os.fsync(f.fileno())
            os.replace(partial_path, osp.join(out_dir, filename))
        except OSError as e:  # a full disk, a folder that became read-only: name it, leave no partial file
            if osp.exists(partial_path):
                os.remove(partial_path)
            raise OSError(e.errno, f'cannot write checkpoint {osp.join(out_dir, filename)} ({e.strerror or e}); '
                          'the checkpoints written before are intact') from e

    def save_step(self, runner, step, meta):
        # mmengine's single funnel for interval and last checkpoints (and the re-save after a new best; see
        # visft_mm.private_apis)
        if isinstance(runner, _AtomicSaves):  # called from _save_best_checkpoint
            runner = runner.runner
        if not isinstance(getattr(self.file_backend, 'backend', self.file_backend), LocalBackend):
            return super().save_step(runner, step, meta)
        expired = []
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            kept = list(self.keep_ckpt_ids) + [step]
            expired, kept = kept[:-self.max_keep_ckpts], kept[-self.max_keep_ckpts:]
            self.keep_ckpt_ids.clear()
            self.keep_ckpt_ids.extend(kept)
            runner.message_hub.update_info('keep_ckpt_ids', list(kept))  # saved inside the checkpoint, as mmengine

        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        self._save_atomically(
            runner, self.out_dir, ckpt_filename, file_client_args=self.file_client_args,
            save_optimizer=self.save_optimizer, save_param_scheduler=self.save_param_scheduler, meta=meta,
            by_epoch=self.by_epoch, backend_args=self.backend_args, **self.args)
        if not is_main_process():
            return
        atomic_write(osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt.encode())
        for old in expired:  # only now that the new checkpoint and the pointer are complete
            path = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(old))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)


class _AtomicSaves:
    """The runner as :meth:`CheckpointHook._save_best_checkpoint` sees it: ``save_checkpoint`` goes through
    :meth:`AtomicCheckpointHook._save_atomically`; everything else is the runner's."""

    def __init__(self, runner, hook):
        self.runner, self._hook = runner, hook

    def __getattr__(self, name):
        return getattr(self.runner, name)

    def save_checkpoint(self, out_dir, filename, **kwargs):
        self._hook._save_atomically(self.runner, out_dir, filename, **kwargs)


class _DeferredRemovals:
    """A file backend whose ``remove`` / ``rmtree`` wait for :meth:`remove_now` (after the new best is complete)."""

    def __init__(self, backend):
        self.backend, self._pending = backend, []

    def __getattr__(self, name):
        return getattr(self.backend, name)

    def remove(self, path):
        self._pending.append((self.backend.remove, path))

    def rmtree(self, path):
        self._pending.append((self.backend.rmtree, path))

    def remove_now(self, keep=()):
        for remove, path in self._pending:
            if path not in keep:  # a best of the same iteration was just replaced in place
                remove(path)
