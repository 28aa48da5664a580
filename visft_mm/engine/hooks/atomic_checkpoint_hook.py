"""Checkpoints that a kill never tears and a failed save never costs.

mmengine's ``CheckpointHook`` deletes the oldest kept checkpoint *before* saving the new one, writes the file in
place, then rewrites ``last_checkpoint`` in place: a kill at the wrong moment leaves a truncated newest checkpoint
or an empty pointer (``--resume`` then fails), and a save that fails (e.g. refused as non-finite by
:class:`NonFiniteGuardHook`) has already deleted a good checkpoint.
"""
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend

from visft_mm.private_apis import CheckpointHookSaveStep
from visft_mm.registry import HOOKS


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``: readers see the old or the new
    file, never a part."""
    partial = f'{path}.partial'
    with open(partial, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHookSaveStep):
    """``CheckpointHook`` (same arguments) that writes each checkpoint and ``last_checkpoint`` atomically
    (temporary file + ``os.replace``) and deletes old checkpoints (``max_keep_ckpts``) only after the new one and
    the pointer are in place.  Other storage backends than local files keep mmengine's behaviour."""

    def save_step(self, runner, step, meta):
        # mmengine's single funnel for interval, last and best checkpoints (see visft_mm.private_apis)
        if not isinstance(self.file_backend, LocalBackend):
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
        partial = f'{ckpt_filename}.partial'
        runner.save_checkpoint(
            self.out_dir, partial, self.file_client_args, save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler, meta=meta, by_epoch=self.by_epoch,
            backend_args=self.backend_args, **self.args)
        if not is_main_process():
            return
        partial_path = osp.join(self.out_dir, partial)
        with open(partial_path, 'rb+') as f:
            os.fsync(f.fileno())
        os.replace(partial_path, self.last_ckpt)
        atomic_write(osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt.encode())
        for old in expired:  # only now that the new checkpoint and the pointer are complete
            path = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(old))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
