"""Optimizer-state sharding (ZeRO-1) whose checkpoints can be saved under mmengine's runner.

mmengine 0.10.7's ``ZeroRedundancyOptimizer.state_dict`` consolidates the shards, a collective call, but the
runner saves checkpoints on rank 0 only (``Runner.save_checkpoint`` is ``master_only``): rank 0 waits for ranks
that never join, and training hangs at the first checkpoint (reproduced with 2 gloo ranks).  Here every rank
consolidates in :class:`ZeroConsolidateHook` just before the checkpoint hook saves, and ``state_dict`` only reads
the consolidated state, refusing a stale one.
"""
import torch
from mmengine.hooks import CheckpointHook, Hook
from mmengine.optim import ZeroRedundancyOptimizer as MMEngineZero
from torch.distributed.optim import ZeroRedundancyOptimizer as TorchZero

from visft_mm.registry import HOOKS, OPTIMIZERS


@OPTIMIZERS.register_module()
class ConsolidatingZeroRedundancyOptimizer(MMEngineZero):
    """mmengine's ``ZeroRedundancyOptimizer`` (``optimizer_type='AdamW'``, ...) with non-collective ``state_dict``;
    needs ``custom_hooks=[dict(type='ZeroConsolidateHook')]`` to checkpoint.  Its own registered name: mmengine's
    ``ZeroRedundancyOptimizer`` keeps meaning mmengine's class in every scope."""

    def __init__(self, params, optimizer_type: str, **kwargs):
        super().__init__(params, optimizer_type, **kwargs)
        self._steps = 0
        self._consolidated_at = None

    @torch.no_grad()
    def step(self, *args, **kwargs):
        self._steps += 1
        return super().step(*args, **kwargs)

    def consolidate_state_dict(self, to: int = 0) -> None:
        super().consolidate_state_dict(to)
        self._consolidated_at = self._steps

    def state_dict(self):
        if self._consolidated_at != self._steps:
            raise RuntimeError('the sharded optimizer state was not consolidated on every rank for this checkpoint: '
                               "add custom_hooks=[dict(type='ZeroConsolidateHook')] to the config")
        return TorchZero.state_dict(self) if self.rank == 0 else {}


@HOOKS.register_module()
class ZeroConsolidateHook(Hook):
    """Consolidates :class:`ConsolidatingZeroRedundancyOptimizer` shards on all ranks in the iterations the
    checkpoint hook saves (it runs just before that hook, with the same schedule test)."""

    priority = 'LOW'  # before CheckpointHook (VERY_LOW)

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        optimizer = runner.optim_wrapper.optimizer
        if not isinstance(optimizer, ConsolidatingZeroRedundancyOptimizer):
            return
        for hook in runner.hooks:
            if isinstance(hook, CheckpointHook) and not hook.by_epoch and (
                    hook.every_n_train_iters(runner, hook.interval, hook.save_begin)
                    or (hook.save_last and hook.is_last_train_iter(runner))):
                optimizer.consolidate_state_dict(to=0)
                return
