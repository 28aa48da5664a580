"""Validate once before the first training iteration: the baseline every later validation is compared with."""
from mmengine.hooks import Hook

from visft_mm.registry import HOOKS


@HOOKS.register_module()
class ValidateBeforeTrainHook(Hook):
    """Runs the validation loop before iteration 0, after every other hook's ``before_train_epoch``; not when
    resuming (the run already validated)."""

    priority = 'LOWEST'

    def before_train_epoch(self, runner) -> None:
        if runner.iter == 0 and runner.val_loop is not None:
            runner.val_loop.run()
