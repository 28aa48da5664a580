"""A classifier head means something only with the class list it was trained on.

mmengine saves the training set's ``metainfo`` in every checkpoint (``meta['dataset_meta']``); this hook compares
it, and the head's ``num_classes``, with the datasets of the run, so a probe tested with another class list (other
order, other file) is an error instead of a silently wrong accuracy.
"""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from visft_mm.registry import HOOKS


def _loop_classes(runner):
    """``{'train' / 'val' / 'test': classes}`` of the loops this run has built."""
    found = {}
    for mode in ('train', 'val', 'test'):
        loop = getattr(runner, f'_{mode}_loop', None)
        if isinstance(loop, BaseLoop):
            classes = getattr(loop.dataloader.dataset, 'metainfo', {}).get('classes')
            if classes is not None:
                found[mode] = tuple(classes)
    return found


@HOOKS.register_module()
class ClassListCheckHook(Hook):
    """Check ``model.head.num_classes`` against the datasets, and a loaded checkpoint's class list against them."""

    priority = 'LOW'  # after TrainableCheckpointHook has filled the checkpoint in (VERY_LOW runs later: no matter)

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        num_classes = getattr(getattr(model, 'head', None), 'num_classes', None)
        for mode, classes in _loop_classes(runner).items():
            if num_classes is not None and num_classes != len(classes):
                raise ValueError(f'model.head.num_classes is {num_classes} but the {mode} dataset has '
                                 f'{len(classes)} classes: set num_classes to the length of its class list')

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        trained = checkpoint.get('meta', {}).get('dataset_meta', {}).get('classes')
        if trained is None:
            runner.logger.warning('the checkpoint records no class list (meta.dataset_meta.classes): not checked')
            return
        for mode, classes in _loop_classes(runner).items():
            if tuple(trained) != classes:
                differ = [i for i, (a, b) in enumerate(zip(trained, classes)) if a != b][:5]
                raise ValueError(f'the checkpoint was trained on another class list than the {mode} dataset\'s '
                                 f'({len(trained)} vs {len(classes)} classes; first differing ids {differ}): '
                                 'give every split the training set\'s classes file')
