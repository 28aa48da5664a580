"""A NaN / inf never trains on, never reaches a checkpoint, never costs a good one.

Without it a run whose loss turns NaN keeps going, saves checkpoints full of NaN and points ``last_checkpoint``
at them; with DETR / Mask2Former heads it ends later in scipy's Hungarian matcher with an error that names
neither the iteration nor the task.
"""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from visft_mm.registry import HOOKS
from ..strategies import any_rank, is_fsdp

ON_NON_FINITE = ('stop', 'skip')


def _non_finite(value) -> bool:
    if hasattr(value, 'local_tensor'):  # FSDP's ShardedTensor (a 'local' state dict): this rank's piece
        value = value.local_tensor()
    if isinstance(value, torch.Tensor):
        return value.is_floating_point() and not bool(torch.isfinite(value).all())
    if isinstance(value, float):
        return not torch.isfinite(torch.tensor(value))
    return False


@HOOKS.register_module()
class NonFiniteGuardHook(Hook):
    """Checks the backbone features, the gradients (before the optimizer step) and the losses of every training
    iteration, and every checkpoint before it is written.

    * non-finite gradients (or losses): ``on_non_finite='stop'`` (default) raises ``FloatingPointError`` naming
      the iteration and the task before the optimizer step; ``'skip'`` drops that iteration's update (the
      gradients are discarded, so the optimizer leaves every parameter and its state as they were; the lr
      schedule goes on), logs it and counts it (``non_finite_skips`` in the message hub, kept by checkpoints);
    * non-finite backbone features (``check_features``, the model's ``backbone`` output) always stop, before any
      head or matcher sees them: weights or inputs are broken and skipping would not repair them;
    * a checkpoint whose ``state_dict`` holds a non-finite tensor is refused (raises before anything is written;
      :class:`AtomicCheckpointHook` then keeps the older checkpoints and ``last_checkpoint`` as they were).

    The task of an iteration is read from the data batch's ``task`` key (ViSFT stage 2) or the ``<task>.``
    prefix of the loss names.
    """

    priority = 'ABOVE_NORMAL'  # after_train_iter before the logger and checkpoint hooks

    def __init__(self, on_non_finite: str = 'stop', check_features: bool = True):
        if on_non_finite not in ON_NON_FINITE:
            raise ValueError(f'on_non_finite must be one of {ON_NON_FINITE}, got {on_non_finite!r}')
        self.on_non_finite = on_non_finite
        self.check_features = check_features
        self._handles = []
        self._iteration, self._task, self._runner = None, None, None
        self._skipped_this_iter = False

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_train(self, runner) -> None:
        self._runner = runner
        model = self._model(runner)
        self._names = {id(p): n for n, p in model.named_parameters()}
        wrappers = getattr(runner.optim_wrapper, 'optim_wrappers', None) or {'': runner.optim_wrapper}
        for wrapper in wrappers.values():
            self._handles.append(wrapper.optimizer.register_step_pre_hook(self._check_gradients))
        backbone = getattr(model, 'backbone', None)
        if self.check_features and isinstance(backbone, torch.nn.Module):
            self._handles.append(backbone.register_forward_hook(self._check_features))

    def after_train(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._iteration = runner.iter + 1  # as mmengine's log counts
        self._task = data_batch.get('task') if isinstance(data_batch, dict) else None
        self._skipped_this_iter = False

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        bad = sorted(k for k, v in (outputs or {}).items() if _non_finite(v))
        self._iteration = None
        if not bad:
            return
        task = self._task or (bad[0].split('.')[0] if '.' in bad[0] else None)
        if self.on_non_finite == 'stop':
            raise FloatingPointError(self._where(task, runner.iter + 1) + f': non-finite {bad}' + self._advice())
        if not self._skipped_this_iter:  # gradients were finite, the update went through; say so
            runner.logger.warning(self._where(task, runner.iter + 1) + f': non-finite {bad} (the update was made: '
                                  'its gradients were finite)')

    def _where(self, task: Optional[str], iteration: int) -> str:
        return f'iteration {iteration}' + (f' (task {task!r})' if task else '')

    def _advice(self) -> str:
        last = self._runner.message_hub.get_info('last_ckpt') if self._runner is not None else None
        saved = (f'the last checkpoint, {last}, is untouched (resume from it with --resume)' if last else
                 'no checkpoint was written')
        return (f'. Stopped before the update: {saved}. To drop such updates and go on instead, set '
                "default_hooks.non_finite=dict(type='NonFiniteGuardHook', on_non_finite='skip')")

    def _check_features(self, module, args, output) -> None:
        if self._iteration is None or not module.training:
            return
        tensors = output if isinstance(output, (tuple, list)) else [output]
        if any(_non_finite(t) for t in tensors):
            raise FloatingPointError(
                self._where(self._task, self._iteration) + ': the backbone produced non-finite features (weights '
                'or inputs hold nan/inf); stopped before the heads' + self._advice())

    def _check_gradients(self, optimizer, args, kwargs) -> None:
        if self._iteration is None:
            return
        params = [p for group in optimizer.param_groups for p in group['params'] if p.grad is not None]
        sharded = is_fsdp(self._runner.model)  # each rank sees its pieces of the gradients: decide together
        finite = torch.stack([torch.isfinite(p.grad).all() for p in params]) if params else torch.ones(0, dtype=bool)
        local_ok = bool(finite.all())
        if (not any_rank(not local_ok)) if sharded else local_ok:
            return
        names = [self._names.get(id(p), '?') for p, ok in zip(params, finite.tolist()) if not ok]
        what = (f'non-finite gradients in {len(names)} of {len(params)} parameters (e.g. {names[0]!r})' if names
                else 'non-finite gradients on another FSDP rank')
        if self.on_non_finite == 'stop':
            raise FloatingPointError(self._where(self._task, self._iteration) + ': ' + what + self._advice())
        for p in params:  # torch optimizers leave parameters without a gradient (and their state) untouched
            p.grad = None
        self._skipped_this_iter = True
        hub = self._runner.message_hub
        count = (hub.get_info('non_finite_skips') or 0) + 1
        hub.update_info('non_finite_skips', count)
        self._runner.logger.warning(self._where(self._task, self._iteration) + f': {what}: update skipped '
                                    f'({count} skipped so far; on_non_finite=\'skip\')')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('state_dict', {})
        bad = [k for k, v in state.items() if _non_finite(v)]
        if is_fsdp(runner.model) and any_rank(bool(bad)) and not bad:  # every rank refuses alike
            bad = ['(a piece on another FSDP rank)']
        if bad:
            raise FloatingPointError(
                f'refusing to write a checkpoint at iteration {runner.iter + 1}: {len(bad)} tensors hold nan/inf '
                f'(e.g. {bad[0]!r}); the checkpoints already written and last_checkpoint are untouched')
