"""Each task's loss on fixed validation batches: the measure of whether stage 2 does what it trains for.

The per-iteration losses a stage-2 run logs come from the batches it happened to draw (one detection image per
iteration: their losses vary several-fold between images), so comparing their first and last windows compares
different images.  Here every task's validation images go once through that task's *training* pipeline (the loss
targets, e.g. caption token ids, exist only there) under a fixed seed, and the batches are kept: evaluating any
model on them (in eval mode: no dropout; random point sampling of Mask2Former's loss reseeded) gives losses that
differ only by the model.
"""
import copy
from typing import Dict, List, Optional

import torch
from mmengine.hooks import Hook

FIXED_SEED = 0


def fixed_loss_batches(cfg, batch_size: Optional[int] = None, max_batches: Optional[int] = None,
                       seed: int = FIXED_SEED) -> Dict[str, List[dict]]:
    """``{task: [data batch, ...]}`` of a stage-2 config: ``val_dataloader[task]``'s dataset read in training
    mode through ``train_dataloader[task]``'s pipeline, in order, batched by ``batch_size`` (default: the
    training batch size), drawn once under ``seed``."""
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner
    batches = {}
    for task, train_loader in cfg.train_dataloader.items():
        if task not in cfg.val_dataloader:
            raise KeyError(f'task {task!r} of train_dataloader has no val_dataloader entry: fixed validation '
                           f'batches read its validation images (val_dataloader has {sorted(cfg.val_dataloader)})')
        dataset = copy.deepcopy(cfg.val_dataloader[task]['dataset'])
        dataset.update(test_mode=False, pipeline=copy.deepcopy(train_loader['dataset']['pipeline']))
        loader = dict(batch_size=batch_size or train_loader['batch_size'], num_workers=0, persistent_workers=False,
                      sampler=dict(type='DefaultSampler', shuffle=False), dataset=dataset,
                      collate_fn=copy.deepcopy(train_loader.get('collate_fn', dict(type='pseudo_collate'))))
        with torch.random.fork_rng(), DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
            _seed_all(seed)
            dataloader = Runner.build_dataloader(loader, seed=seed)
            batches[task] = [batch for _, batch in zip(range(max_batches or len(dataloader)), dataloader)]
    return batches


def _seed_all(seed: int) -> None:
    import random

    import numpy as np
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _fixed_batch_losses(model, batches: Dict[str, List[dict]], seed: int):
    """Yields ``(task, loss)`` for every fixed batch, the model in eval mode (its mode restored afterwards) and the
    torch RNG reseeded per task (and restored), so that the random parts of a loss (Mask2Former's point sampling)
    are the same for every model."""
    empty = sorted(task for task, task_batches in batches.items() if not task_batches)
    if empty:
        raise ValueError(f'no fixed batches for task(s) {empty}: their datasets are empty (a loss of nothing '
                         'would read as 0)')
    was_training = model.training
    model.eval()
    try:
        with torch.random.fork_rng():
            for task, task_batches in batches.items():
                torch.manual_seed(seed)
                for batch in task_batches:
                    data = model.data_preprocessor(dict(batch, task=task), True)
                    loss, _ = model.parse_losses(model(**data, mode='loss'))
                    yield task, loss
    finally:
        model.train(was_training)


@torch.no_grad()
def task_losses(model, batches: Dict[str, List[dict]], seed: int = FIXED_SEED) -> Dict[str, float]:
    """``{task: mean over the batches of the task's total loss}`` of a ViSFT ``model`` on fixed batches (eval
    mode, the RNG reseeded per task: the same losses for the same model)."""
    totals = {task: [] for task in batches}
    for task, loss in _fixed_batch_losses(model, batches, seed):
        totals[task].append(float(loss))
    return {task: sum(values) / len(values) for task, values in totals.items()}


def task_gradients(model, batches: Dict[str, List[dict]], seed: int = FIXED_SEED) -> Dict[str, torch.Tensor]:
    """``{task: tensor (batches x trainable parameters)}``: the gradient of each fixed batch's loss with respect to
    ``model``'s trainable parameters (stage 2: the LoRA), flattened, taken as :func:`task_losses` takes the
    losses.  Rows of different batches say whether their losses ask the same change of the LoRA."""
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError('the model has no trainable parameters: nothing to take gradients of')
    rows = {task: [] for task in batches}
    for task, loss in _fixed_batch_losses(model, batches, seed):
        parts = torch.autograd.grad(loss, params, allow_unused=True)
        rows[task].append(torch.cat([(g if g is not None else torch.zeros_like(p)).flatten()
                                     for g, p in zip(parts, params)]))
    return {task: torch.stack(task_rows) for task, task_rows in rows.items()}


def cosine(u: torch.Tensor, v: torch.Tensor) -> float:
    """The cosine between two flattened gradients (0 where one is zero)."""
    return float(u @ v / (u.norm() * v.norm()).clamp_min(1e-30))


def gradient_alignment(train: torch.Tensor, held_out: torch.Tensor) -> Dict[str, float]:
    """How much the per-batch gradients of one task (rows, :func:`task_gradients`) agree: the cosine between the
    mean gradient of the training batches and that of the held-out ones (> 0: a step down the training loss
    lowers the held-out loss, to first order), between the means of the two halves of the training batches, and
    the mean cosine over pairs of training batches (about 0: each image asks for its own change)."""
    if len(train) < 2 or len(held_out) < 1:
        raise ValueError(f'need >= 2 training and >= 1 held-out batches, got {len(train)} and {len(held_out)}')

    unit = train / train.norm(dim=1, keepdim=True).clamp_min(1e-30)
    pairs = unit @ unit.T
    n, half = len(train), len(train) // 2
    return dict(train_vs_held_out=cosine(train.mean(0), held_out.mean(0)),
                train_halves=cosine(train[:half].mean(0), train[half:].mean(0)),
                train_pairs=float((pairs.sum() - pairs.diagonal().sum()) / (n * (n - 1))),
                held_out_mean_norm=float(held_out.mean(0).norm()), train_batch_norm=float(train.norm(dim=1).mean()))


class FixedBatchLossHook(Hook):
    """Records each task's loss on fixed batches (:func:`task_losses`) before training (a stage-2 run's LoRA is at
    zero then: the stage-1 models) and every ``interval`` iterations and at the end, as ``history = [(iteration,
    {task: loss}), ...]``, and logs them: what the logged per-iteration losses (each of the batch it drew) cannot
    show.  Register it on a runner (``runner.register_hook(hook)``)."""

    priority = 'LOW'

    def __init__(self, batches: Dict[str, List[dict]], interval: int):
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'interval must be a positive integer, got {interval!r}')
        self.batches, self.interval = batches, interval
        self.history: List[tuple] = []

    def _record(self, runner, iteration: int) -> None:
        self.history.append((iteration, task_losses(runner.model, self.batches)))
        runner.logger.info(f'losses on the fixed validation batches at iteration {iteration}: ' + ', '.join(
            f'{task} {value:.4f}' for task, value in self.history[-1][1].items()))

    def before_train(self, runner) -> None:
        self._record(runner, runner.iter)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if (runner.iter + 1) % self.interval == 0 or runner.iter + 1 == runner.max_iters:
            self._record(runner, runner.iter + 1)
