"""ViSFT's stage-2 training loop: each iteration draws one task and runs one batch of it.

Every rank must run the same task in an iteration (mmdet's DETR / Mask2Former heads all-reduce inside their
losses, and DDP all-reduces the LoRA gradients), and a resumed run must repeat the sequence.  So the draw is a pure
function of ``(seed, iteration)``, and so is all other randomness of the iteration (dropout of the frozen heads,
data augmentation in the main process): the loop reseeds torch / numpy / random from ``(seed, iteration, rank)``
before each iteration.  A checkpoint then needs no RNG state: the iteration number (saved by mmengine) gives the
draw, the task counts (the sampler positions: replayed on resume) and the seeds.
"""
import logging
import random
from collections import Counter
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import DataLoader

from visft_mm.registry import LOOPS


class TaskSampler:
    """Draws task names with fixed probabilities as a pure function of ``(seed, iteration)``."""

    def __init__(self, task_probs: Dict[str, float]):
        if not isinstance(task_probs, dict) or not task_probs:
            raise ValueError(f'task_probs must be a non-empty dict of task name -> probability, got {task_probs!r}')
        for task, prob in task_probs.items():
            if not isinstance(prob, (int, float)) or not np.isfinite(prob) or prob < 0:
                raise ValueError(f'task_probs[{task!r}] = {prob!r}: a probability must be a number >= 0')
        total = float(sum(task_probs.values()))
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f'task_probs {dict(task_probs)} sum to {total:g}, not 1')
        self.tasks = list(task_probs)
        self.probs = {task: float(p) for task, p in task_probs.items()}
        self._cumulative = np.cumsum([self.probs[t] for t in self.tasks])
        self._cumulative[-1] = 1.0

    def __call__(self, seed: int, iteration: int) -> str:
        u = np.random.default_rng([seed % 2**32, iteration]).random()
        return self.tasks[int(np.searchsorted(self._cumulative, u, side='right'))]

    def counts(self, seed: int, num_iters: int) -> Counter:
        """How often each task was drawn in iterations ``0 .. num_iters - 1``."""
        return Counter(self(seed, i) for i in range(num_iters))


def seed_iteration(seed: int, iteration: int, rank: int) -> None:
    """Seed torch (CPU and CUDA), numpy and random for one iteration of one rank."""
    state = np.random.SeedSequence([seed % 2**32, iteration, rank, 0x5F7]).generate_state(2)
    torch.manual_seed(int(state[0]))  # also seeds every CUDA device
    np.random.seed(int(state[1]))
    random.seed(int(state[1]))


def _unwrap(model):
    return model.module if is_model_wrapper(model) else model


@LOOPS.register_module()
class TaskSamplingTrainLoop(IterBasedTrainLoop):
    """Iteration-based training over several tasks, one drawn per iteration.

    Args:
        runner: the runner.
        dataloader: ``train_dataloader`` as ``{task: dataloader config}`` (each with its own batch size,
            sampler and pipeline).
        task_probs: ``{task: probability}``, e.g. ``dict(caption=0.4, detection=0.3, segmentation=0.3)``; every
            task needs a dataloader and, when the model has ``tasks`` (ViSFT), a head.
        max_iters / val_begin / val_interval / dynamic_intervals: as mmengine's ``IterBasedTrainLoop``.
        check_ranks_agree: all-reduce the drawn task index each iteration and stop with an error if ranks
            disagree (a 2-integer all-reduce; without it a disagreement would hang inside the heads' losses).
        val_before_train: validate once before the first iteration: with LoRA's B at zero this measures the
            frozen stage-1 model, the baseline of every later validation (skipped when resuming).

    Logs ``<task>.loss`` (smoothed over that task's iterations) and ``<task>.iters`` (the running count) beside
    the model's ``<task>.<loss name>`` entries.
    """

    def __init__(self, runner, dataloader: Dict[str, Union[dict, DataLoader]], task_probs: Dict[str, float],
                 max_iters: int, val_begin: int = 1, val_interval: int = 1000,
                 dynamic_intervals: Optional[Sequence] = None, check_ranks_agree: bool = True,
                 val_before_train: bool = False):
        self.sampler = TaskSampler(task_probs)
        if not isinstance(dataloader, dict) or 'dataset' in dataloader:
            raise ValueError('TaskSamplingTrainLoop needs train_dataloader = dict(<task>=dict(batch_size=..., '
                             f'dataset=...), ...), one per task of {self.sampler.tasks}')
        for task in self.sampler.tasks:
            if task not in dataloader:
                raise ValueError(f'task {task!r} of train_cfg.task_probs has no dataloader: train_dataloader has '
                                 f'{sorted(dataloader)}')
        extra = sorted(set(dataloader) - set(self.sampler.tasks))
        if extra:
            raise ValueError(f'train_dataloader has {extra} but train_cfg.task_probs does not name them')
        model_tasks = getattr(_unwrap(runner.model), 'tasks', None)
        if model_tasks is not None:
            unknown = sorted(set(self.sampler.tasks) - set(model_tasks))
            if unknown:
                raise ValueError(f'train_cfg.task_probs names {unknown}, but the model has heads for {model_tasks}')
        # a task with probability 0 (the without-a-task ablations) is never drawn: its dataloader is not built
        drawn = [task for task in self.sampler.tasks if self.sampler.probs[task] > 0]
        diff_rank_seed = runner._randomness_cfg.get('diff_rank_seed', False)
        self.dataloaders = {
            task: runner.build_dataloader(dataloader[task], seed=runner.seed, diff_rank_seed=diff_rank_seed)
            if isinstance(dataloader[task], dict) else dataloader[task]
            for task in drawn
        }
        super().__init__(runner, self.dataloaders[drawn[0]], max_iters, val_begin, val_interval, dynamic_intervals)
        self.iterators = {task: _InfiniteDataloaderIterator(self.dataloaders[task]) for task in drawn[1:]}
        self.iterators[drawn[0]] = self.dataloader_iterator  # the one IterBasedTrainLoop opened
        self.check_ranks_agree = check_ranks_agree
        self.val_before_train = val_before_train
        self.task_counts = Counter()
        runner.register_hook(TaskSamplingStateHook(self))

    @property
    def tasks(self):
        return self.sampler.tasks

    def task_at(self, iteration: int) -> str:
        return self.sampler(self.runner.seed, iteration)

    def run(self):
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        if self._iter > 0:
            self._skip_trained_batches()
        elif self.val_before_train and self.runner.val_loop is not None:
            self.runner.val_loop.run()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            task = self.task_at(self._iter)
            self._check_ranks_agree(task)
            seed_iteration(self.runner.seed, self._iter, get_rank())
            self.run_iter(task, next(self.iterators[task]))
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0 or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def run_iter(self, task: str, data_batch: dict) -> None:
        data_batch = dict(data_batch, task=task)
        self.runner.call_hook('before_train_iter', batch_idx=self._iter, data_batch=data_batch)
        outputs = self.runner.model.train_step(data_batch, optim_wrapper=self.runner.optim_wrapper)
        self.task_counts[task] += 1
        outputs[f'{task}.loss'] = outputs['loss']
        outputs.update({f'{t}.iters': self.task_counts[t] for t in self.tasks})
        self.runner.call_hook('after_train_iter', batch_idx=self._iter, data_batch=data_batch, outputs=outputs)
        self._iter += 1

    def _skip_trained_batches(self) -> None:
        """On resume: advance each task's dataloader past the batches the first ``_iter`` iterations used."""
        self.task_counts = self.sampler.counts(self.runner.seed, self._iter)
        print_log(f'resuming at iteration {self._iter}: skipping the batches already trained on '
                  f'({dict(self.task_counts)})', logger='current', level=logging.WARNING)
        for task, count in self.task_counts.items():
            for _ in range(count):
                next(self.iterators[task])

    def _check_ranks_agree(self, task: str) -> None:
        if not self.check_ranks_agree or get_world_size() == 1:
            return
        index = self.tasks.index(task)
        extremes = torch.tensor([index, -index])
        all_reduce(extremes, op='max')  # in place; on the backend's device
        if int(extremes[0]) != -int(extremes[1]):
            raise RuntimeError(f'ranks drew different tasks at iteration {self._iter} (rank {get_rank()}: {task}); '
                               'every rank must use the same seed (randomness.seed) and task_probs')

    def state_dict(self) -> dict:
        return dict(seed=self.runner.seed, task_probs=self.sampler.probs, task_counts=dict(self.task_counts))

    def check_resumed_state(self, state: dict, iteration: int) -> None:
        """A checkpoint's sampling state must be what this config's draw replays to (mmengine restores the
        checkpoint's seed after this check)."""
        if state['task_probs'] != self.sampler.probs:
            raise ValueError(f'the checkpoint was trained with task_probs={state["task_probs"]}, this run has '
                             f'{self.sampler.probs}: its task sequence would not continue the checkpoint\'s')
        replayed = dict(self.sampler.counts(state['seed'], iteration))
        if replayed != state['task_counts']:
            raise ValueError(f'the checkpoint\'s task counts {state["task_counts"]} differ from the replayed draw '
                             f'{replayed} (another visft_mm version?)')


class TaskSamplingStateHook(Hook):
    """Saves the loop's sampling state in checkpoints and checks it on resume (registered by the loop)."""

    priority = 'VERY_LOW'

    def __init__(self, loop: TaskSamplingTrainLoop):
        self.loop = loop

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['task_sampling'] = self.loop.state_dict()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('task_sampling')
        if state is not None and runner._resume:
            self.loop.check_resumed_state(state, checkpoint['meta']['iter'])

