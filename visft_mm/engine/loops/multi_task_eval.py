"""Validation / test over several tasks, each with its own dataloader and metric (ViSFT's in-domain check).

``val_dataloader`` and ``val_evaluator`` are dicts keyed by task; every batch is tagged ``task=<name>`` for the
model, and each metric comes out as ``<task>/<metric>`` (e.g. ``detection/coco/bbox_mAP``, ``caption/.../CIDEr``),
so one mmengine validation reports every task.
"""
from typing import Dict, List, Union

import torch
from mmengine.evaluator import Evaluator
from mmengine.runner.amp import autocast
from mmengine.runner.base_loop import BaseLoop

from visft_mm.private_apis import diff_rank_seed as _diff_rank_seed
from visft_mm.registry import LOOPS


class _MultiTaskEvalLoop(BaseLoop):
    stage = 'val'

    def __init__(self, runner, dataloader: Dict[str, Union[dict, object]], evaluator: Dict[str, Union[dict, list]],
                 fp16: bool = False):
        name = f'{self.stage}_dataloader'
        if not isinstance(dataloader, dict) or 'dataset' in dataloader:
            raise ValueError(f'{type(self).__name__} needs {name} = dict(<task>=dict(dataset=...), ...)')
        if not isinstance(evaluator, dict) or set(evaluator) != set(dataloader):
            keys = sorted(evaluator) if isinstance(evaluator, dict) else evaluator
            raise ValueError(f'{self.stage}_evaluator must have one entry per task of {name} ({sorted(dataloader)}),'
                             f' got {keys}')
        diff_rank_seed = _diff_rank_seed(runner)
        self.dataloaders, self.evaluators = {}, {}  # {task: DataLoader}, {task: Evaluator}
        for task, loader_cfg in dataloader.items():
            loader = runner.build_dataloader(loader_cfg, seed=runner.seed, diff_rank_seed=diff_rank_seed) \
                if isinstance(loader_cfg, dict) else loader_cfg
            task_evaluator = evaluator[task]
            if not isinstance(task_evaluator, Evaluator):
                task_evaluator = runner.build_evaluator(task_evaluator)
            task_evaluator.dataset_meta = getattr(loader.dataset, 'metainfo', None)
            self.dataloaders[task], self.evaluators[task] = loader, task_evaluator
        super().__init__(runner, next(iter(self.dataloaders.values())))
        self.fp16 = fp16

    @property
    def tasks(self) -> List[str]:
        """The task names, in evaluation order."""
        return list(self.dataloaders)

    def run(self) -> dict:
        self.runner.call_hook(f'before_{self.stage}')
        self.runner.call_hook(f'before_{self.stage}_epoch')
        self.runner.model.eval()
        metrics = {}
        for task, loader in self.dataloaders.items():
            evaluator = self.evaluators[task]
            for idx, data_batch in enumerate(loader):
                self.run_iter(idx, dict(data_batch, task=task), evaluator)
            task_metrics = evaluator.evaluate(len(loader.dataset))
            metrics.update({f'{task}/{key}': value for key, value in task_metrics.items()})
        self.runner.call_hook(f'after_{self.stage}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{self.stage}')
        return metrics

    @torch.no_grad()
    def run_iter(self, idx: int, data_batch: dict, evaluator: Evaluator) -> None:
        self.runner.call_hook(f'before_{self.stage}_iter', batch_idx=idx, data_batch=data_batch)
        with autocast(enabled=self.fp16):
            outputs = getattr(self.runner.model, f'{self.stage}_step')(data_batch)
        evaluator.process(data_samples=outputs, data_batch=data_batch)
        self.runner.call_hook(f'after_{self.stage}_iter', batch_idx=idx, data_batch=data_batch, outputs=outputs)


@LOOPS.register_module()
class MultiTaskValLoop(_MultiTaskEvalLoop):
    """mmengine's ``ValLoop`` over ``{task: dataloader}`` with ``{task: evaluator}``."""
    stage = 'val'


@LOOPS.register_module()
class MultiTaskTestLoop(_MultiTaskEvalLoop):
    """mmengine's ``TestLoop`` over ``{task: dataloader}`` with ``{task: evaluator}``."""
    stage = 'test'
