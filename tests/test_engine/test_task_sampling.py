"""The task draw: validated probabilities, a pure function of (seed, iteration), the same on every rank."""
import math
import os

import pytest
import torch.distributed as dist
import torch.multiprocessing as mp

from visft_mm.engine.loops import TaskSampler
from visft_mm.engine.loops.task_sampling import check_ranks_agree

PAPER = dict(caption=0.4, detection=0.3, segmentation=0.3)


@pytest.mark.parametrize('probs, message', [
    (dict(caption=0.5, detection=-0.1, segmentation=0.6), "task_probs['detection'] = -0.1"),
    (dict(caption=0.4, detection=0.3, segmentation=0.2), 'sum to 0.9, not 1'),
    (dict(caption=math.nan, detection=1.0), "task_probs['caption'] = nan"),
    (dict(caption='0.5', detection=0.5), "task_probs['caption'] = '0.5'"),
    ({}, 'non-empty dict'),
])
def test_bad_probabilities_are_refused(probs, message):
    with pytest.raises(ValueError) as error:
        TaskSampler(probs)
    assert message in str(error.value)


def test_draw_is_a_function_of_seed_and_iteration_with_the_configured_frequencies():
    sampler = TaskSampler(PAPER)
    sequence = [sampler(7, i) for i in range(20000)]
    assert sequence == [TaskSampler(dict(PAPER))(7, i) for i in range(20000)]  # no hidden state
    assert sequence[:200] != [sampler(8, i) for i in range(200)]  # the seed matters
    for task, prob in PAPER.items():
        assert abs(sequence.count(task) / len(sequence) - prob) < 0.015
    assert sampler.counts(7, 1000) == {t: sequence[:1000].count(t) for t in PAPER}
    only = TaskSampler(dict(caption=0.0, detection=0.5, segmentation=0.5))  # a task can be switched off
    assert 'caption' not in {only(0, i) for i in range(2000)}


def test_without_a_task_the_others_keep_their_relative_probabilities():
    sampler = TaskSampler(PAPER, without=['detection'])
    assert sampler.probs == dict(caption=0.4 / 0.7, detection=0.0, segmentation=0.3 / 0.7)
    sequence = [sampler(3, i) for i in range(20000)]
    assert 'detection' not in sequence and abs(sequence.count('caption') / len(sequence) - 4 / 7) < 0.015
    with pytest.raises(ValueError, match=r"without_tasks names \['depth'\]"):
        TaskSampler(PAPER, without=['depth'])
    with pytest.raises(ValueError, match='leaves no task'):
        TaskSampler(PAPER, without=list(PAPER))


def _rank_main(rank, world_size, init_file, out_dir, rank_dependent_seed):
    from mmengine.dist import sync_random_seed
    dist.init_process_group('gloo', init_method=f'file://{init_file}', rank=rank, world_size=world_size)
    seed = sync_random_seed()  # what mmengine's runner does when randomness.seed is not set
    sampler = TaskSampler(PAPER)
    if rank_dependent_seed:
        seed += rank
    sequence = [sampler(seed, i) for i in range(300)]
    gathered = [None] * world_size
    dist.all_gather_object(gathered, sequence)
    # the loop's safety check: a disagreement is an error on every rank, not a hang in the heads' losses
    outcome = 'agree'
    for iteration, task in enumerate(sequence):
        try:
            check_ranks_agree(sampler.tasks, task, iteration)
        except RuntimeError as e:
            outcome = str(e)
            break
    with open(os.path.join(out_dir, f'rank{rank}.txt'), 'w') as f:
        f.write(f'{gathered[0] == gathered[1]}\n{outcome}')
    dist.destroy_process_group()


@pytest.mark.parametrize('rank_dependent_seed', [False, True])
def test_two_gloo_ranks_draw_the_same_sequence(tmp_path, rank_dependent_seed):
    mp.spawn(_rank_main, args=(2, str(tmp_path / 'init'), str(tmp_path), rank_dependent_seed), nprocs=2)
    for rank in range(2):
        same, outcome = (tmp_path / f'rank{rank}.txt').read_text().split('\n', 1)
        if rank_dependent_seed:
            assert same == 'False' and 'ranks drew different tasks at iteration' in outcome
        else:
            assert same == 'True' and outcome == 'agree'
