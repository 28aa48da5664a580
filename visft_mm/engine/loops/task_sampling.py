"""ViSFT's stage-2 training loop: each iteration draws one task and runs one batch of it.

Every rank must run the same task in an iteration (mmdet's DETR / Mask2Former heads all-reduce inside their
losses, and DDP all-reduces the LoRA gradients), and a resumed run must repeat the sequence.  So the draw is a pure
function of ``(seed, iteration)``, and so is all other randomness of the iteration (dropout of the frozen heads,
data augmentation in the main process): torch / numpy / random are reseeded from ``(seed, iteration, rank)``
before each iteration's batch is fetched.  A checkpoint then needs no RNG state: the iteration number (saved by
mmengine) gives the draw, the task counts (the sampler positions: replayed on resume) and the seeds.

It is mmengine's ``IterBasedTrainLoop`` with its ``run`` / ``run_iter`` / resume path: only its
``dataloader_iterator`` is a :class:`TaskSamplingIterator` (whose ``next`` is an iteration's tagged batch, so
mmengine's skip of the trained batches on resume replays the draw), and :class:`TaskSamplingHook` adds the
per-task logging, the check that ranks agree and the sampling state in checkpoints.
"""
import random
from collections import Counter
from typing import Callable, Dict, Iterator, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import IterBasedTrainLoop
from torch.utils.data import DataLoader

from visft_mm.private_apis import diff_rank_seed as _diff_rank_seed
from visft_mm.registry import HOOKS, LOOPS
from ..hooks import ValidateBeforeTrainHook
from ..strategies import refuse_lossy_strategy


class TaskSampler:
    """Draws task names with fixed probabilities as a pure function of ``(seed, iteration)``.

    ``task_probs`` must sum to 1; the tasks named in ``without`` (the without-a-task ablations) are never drawn and
    the others are rescaled to sum to 1, keeping their relative probabilities.
    """

    def __init__(self, task_probs: Dict[str, float], without: Sequence[str] = ()):
        if not isinstance(task_probs, dict) or not task_probs:
            raise ValueError(f'task_probs must be a non-empty dict of task name -> probability, got {task_probs!r}')
        for task, prob in task_probs.items():
            if not isinstance(prob, (int, float)) or not np.isfinite(prob) or prob < 0:
                raise ValueError(f'task_probs[{task!r}] = {prob!r}: a probability must be a number >= 0')
        total = float(sum(task_probs.values()))
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f'task_probs {dict(task_probs)} sum to {total:g}, not 1')
        unknown = sorted(set(without) - set(task_probs))
        if unknown:
            raise ValueError(f'without_tasks names {unknown}, which task_probs {dict(task_probs)} does not have')
        kept = {task: 0.0 if task in without else float(p) for task, p in task_probs.items()}
        scale = sum(kept.values()) if without else 1.0  # the configured numbers unchanged when nothing is left out
        if scale == 0:
            raise ValueError(f'without_tasks={list(without)} leaves no task with a probability > 0 in {task_probs}')
        self.tasks = list(task_probs)
        self.probs = {task: p / scale for task, p in kept.items()}
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


def check_ranks_agree(tasks: Sequence[str], task: str, iteration: int) -> None:
    """Stop with an error on every rank if the ranks drew different tasks (a 2-integer all-reduce; without it a
    disagreement would hang inside the heads' losses)."""
    if get_world_size() == 1:
        return
    index = tasks.index(task)
    extremes = torch.tensor([index, -index])
    all_reduce(extremes, op='max')  # in place; on the backend's device
    if int(extremes[0]) != -int(extremes[1]):
        raise RuntimeError(f'ranks drew different tasks at iteration {iteration} (rank {get_rank()}: {task}); '
                           'every rank must use the same seed (randomness.seed) and task_probs')


class TaskSamplingIterator:
    """The batches of iterations 0, 1, 2, ...: for iteration ``i``, reseed ``(seed, i, rank)``, draw the task
    ``sampler(seed, i)`` and return the next batch of its dataloader tagged ``task=<name>``.

    Each call is one iteration, so skipping ``n`` batches (mmengine's resume) replays the draw and every task's
    dataloader position.  ``seed`` is read at each call: a resumed runner has the checkpoint's.
    """

    def __init__(self, sampler: TaskSampler, iterators: Dict[str, Iterator], seed: Callable[[], int]):
        self.sampler = sampler
        self.iterators = iterators
        self.seed = seed
        self.position = 0  # the iteration whose batch comes next
        self.task_counts = Counter()

    def __iter__(self):
        return self

    def __next__(self) -> dict:
        seed = self.seed()
        task = self.sampler(seed, self.position)
        seed_iteration(seed, self.position, get_rank())
        batch = next(self.iterators[task])
        self.task_counts[task] += 1
        self.position += 1
        return dict(batch, task=task)


@LOOPS.register_module()
class TaskSamplingTrainLoop(IterBasedTrainLoop):
    """Iteration-based training over several tasks, one drawn per iteration.

    Args:
        runner: the runner.
        dataloader: ``train_dataloader`` as ``{task: dataloader config}`` (each with its own batch size,
            sampler and pipeline).
        task_probs: ``{task: probability}`` summing to 1, e.g. ``dict(caption=0.4, detection=0.3,
            segmentation=0.3)``; every task needs a dataloader and, when the model has ``tasks`` (ViSFT), a head.
        max_iters / val_begin / val_interval / dynamic_intervals: as mmengine's ``IterBasedTrainLoop``.
        check_ranks_agree: all-reduce the drawn task index each iteration and stop with an error if ranks
            disagree (:func:`check_ranks_agree`).
        val_before_train: validate once before the first iteration: with LoRA's B at zero this measures the
            frozen stage-1 model, the baseline of every later validation (skipped when resuming).
        without_tasks: tasks never drawn (the without-a-task ablations): the others keep their relative
            probabilities, rescaled to sum to 1 (:class:`TaskSampler`); their dataloaders are not built.

    Logs ``<task>.loss`` (smoothed over that task's iterations) and ``<task>.iters`` (the running count) beside
    the model's ``<task>.<loss name>`` entries.
    """

    def __init__(self, runner, dataloader: Dict[str, Union[dict, DataLoader]], task_probs: Dict[str, float],
                 max_iters: int, val_begin: int = 1, val_interval: int = 1000,
                 dynamic_intervals: Optional[Sequence] = None, check_ranks_agree: bool = True,
                 val_before_train: bool = False, without_tasks: Sequence[str] = ()):
        self.sampler = TaskSampler(task_probs, without=without_tasks)
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
        diff_rank_seed = _diff_rank_seed(runner)
        self.dataloaders = {
            task: runner.build_dataloader(dataloader[task], seed=runner.seed, diff_rank_seed=diff_rank_seed)
            if isinstance(dataloader[task], dict) else dataloader[task]
            for task in drawn
        }
        super().__init__(runner, self.dataloaders[drawn[0]], max_iters, val_begin, val_interval, dynamic_intervals)
        # every task's batches through mmengine's restarting iterator, the one IterBasedTrainLoop just opened
        endless = type(self.dataloader_iterator)
        iterators = {task: endless(self.dataloaders[task]) for task in drawn[1:]}
        iterators[drawn[0]] = self.dataloader_iterator
        self.dataloader_iterator = TaskSamplingIterator(self.sampler, iterators, lambda: runner.seed)
        print_log(f'task probabilities: {self.sampler.probs}', logger='current')
        runner.register_hook(TaskSamplingHook(check_ranks_agree))
        if val_before_train:
            runner.register_hook(ValidateBeforeTrainHook())

    @property
    def tasks(self):
        return self.sampler.tasks

    @property
    def task_counts(self) -> Counter:
        """How often each task has been drawn (fetched) so far."""
        return self.dataloader_iterator.task_counts

    def state_dict(self) -> dict:
        return dict(seed=self.runner.seed, task_probs=self.sampler.probs, task_counts=dict(self.task_counts))

    def check_resumed_state(self, state: dict, iteration: int) -> None:
        """A checkpoint's sampling state must be what this config's draw replays to."""
        if state['task_probs'] != self.sampler.probs:
            raise ValueError(f'the checkpoint was trained with task_probs={state["task_probs"]}, this run has '
                             f'{self.sampler.probs}: its task sequence would not continue the checkpoint\'s')
        replayed = dict(self.sampler.counts(state['seed'], iteration))
        if replayed != state['task_counts']:
            raise ValueError(f'the checkpoint\'s task counts {state["task_counts"]} differ from the replayed draw '
                             f'{replayed} (another visft_mm version?)')


@HOOKS.register_module()
class TaskSamplingHook(Hook):
    """What :class:`TaskSamplingTrainLoop` adds around mmengine's iterations (registered by the loop): per-task
    logging, the check that ranks agree, and the sampling state in checkpoints, checked when resuming."""

    priority = 'NORMAL'  # after_train_iter before LoggerHook (BELOW_NORMAL) prints the iteration

    def __init__(self, check_ranks_agree: bool = True):
        self.check_ranks_agree = check_ranks_agree
        self.loaded_state = None

    def before_run(self, runner) -> None:
        refuse_lossy_strategy(getattr(runner, 'strategy', None))  # its checkpoints would drop our state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self.loaded_state = checkpoint.get('task_sampling')

    def before_train(self, runner) -> None:
        if runner.iter > 0 and self.loaded_state is not None:  # resumed (a plain load_from starts at 0)
            runner.train_loop.check_resumed_state(self.loaded_state, runner.iter)

    def before_train_iter(self, runner, batch_idx: int, data_batch: dict = None) -> None:
        if self.check_ranks_agree:
            check_ranks_agree(runner.train_loop.tasks, data_batch['task'], batch_idx)

    def after_train_iter(self, runner, batch_idx: int, data_batch: dict = None, outputs: dict = None) -> None:
        loop = runner.train_loop
        runner.message_hub.update_scalar(f'train/{data_batch["task"]}.loss', outputs['loss'])
        for task in loop.tasks:
            runner.message_hub.update_scalar(f'train/{task}.iters', loop.task_counts[task])

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['task_sampling'] = runner.train_loop.state_dict()
