"""The number of unreadable images skipped in training, as one total over every dataloader worker and rank.

Each skip is logged where it happens (a worker of one rank) with that rank's count; this hook logs the total of
the whole run at the logging interval and at the end, and keeps it in the message hub (``unreadable_skipped``).
"""
from mmengine.hooks import Hook

from visft_mm.datasets.unreadable import policy_datasets, total_unreadable_skipped
from visft_mm.registry import HOOKS


@HOOKS.register_module()
class UnreadableImageCountHook(Hook):
    """Every ``interval`` iterations and after training: sums the skipped-sample counts of the training datasets
    (``on_unreadable_image='skip'``) over workers and ranks, logs the total when it grew, stores it as the message
    hub's ``unreadable_skipped``.  Does nothing (no collective) when no training dataset skips."""

    priority = 'BELOW_NORMAL'

    def __init__(self, interval: int = 50):
        self.interval = interval
        self.reported = 0

    def _datasets(self, runner):
        loop = runner.train_loop
        loaders = getattr(loop, 'dataloaders', None) or {'': loop.dataloader}  # stage 2: one per task
        return [d for loader in loaders.values() for d in policy_datasets(loader.dataset)
                if d.on_unreadable_image == 'skip']

    def _report(self, runner):
        datasets = self._datasets(runner)
        if not datasets:
            return
        total = total_unreadable_skipped(datasets)
        runner.message_hub.update_info('unreadable_skipped', total)
        if total > self.reported:
            runner.logger.warning(f'{total} unreadable image(s) skipped so far in total (all dataloader workers '
                                  'and ranks; on_unreadable_image=\'skip\')')
            self.reported = total

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if self.every_n_train_iters(runner, self.interval):
            self._report(runner)

    def after_train(self, runner):
        self._report(runner)
