"""Retrieval Recall@K against CLIP_benchmark's recall_at_k, and with planted exact ties."""
import itertools

import numpy as np
import pytest
import torch

from visft_mm.evaluation.retrieval_recall import TieAwareRetrievalRecall, tie_aware_recall


def _clip_benchmark_recall(scores, positives, k):
    from clip_benchmark.metrics.zeroshot_retrieval import recall_at_k
    return (recall_at_k(scores, positives, k) > 0).float().mean().item()


def test_without_ties_equals_clip_benchmark():
    rng = torch.Generator().manual_seed(0)
    scores = torch.randn(40, 25, generator=rng)  # 40 texts x 25 images, no two scores equal
    positives = torch.zeros(40, 25, dtype=torch.bool)
    positives[torch.arange(40), torch.randint(0, 25, (40, ), generator=rng)] = True
    for queries, pos in ((scores, positives), (scores.T, positives.T)):  # image and text retrieval
        metric = TieAwareRetrievalRecall(topk=(1, 5, 10))
        metric.process(None, [dict(pred_score=s, gt_score=p.float()) for s, p in zip(queries, pos)
                              if p.any()])
        got = metric.compute_metrics(metric.results)
        keep = pos.any(1)
        for k in (1, 5, 10):
            assert got[f'Recall@{k}'] == pytest.approx(100 * _clip_benchmark_recall(queries[keep], pos[keep], k))


@pytest.mark.parametrize('ties, expected', [
    # negatives 0.9 (above), 0.5, 0.5 (tied) and the positive at 0.5: g=1, t=2, q=1
    ('mean', [0.0, 1 / 3, 2 / 3, 1.0]),  # k=2: the positive is first of the 3 tied in 1/3 of the orders
    ('optimistic', [0.0, 1.0, 1.0, 1.0]),
    ('pessimistic', [0.0, 0.0, 0.0, 1.0]),
])
def test_planted_tie_hand_case(ties, expected):
    scores = torch.tensor([0.9, 0.5, 0.5, 0.5, 0.1])
    positives = torch.tensor([False, False, True, False, False])
    assert tie_aware_recall(scores, positives, (1, 2, 3, 4), ties) == pytest.approx(expected)


def test_two_tied_positives():
    # duplicate captions of the same image: both positives tie with one negative at the top
    scores = torch.tensor([0.7, 0.7, 0.7, 0.2])
    positives = torch.tensor([True, False, True, False])
    # k=1: a positive comes first in 2 of the 3 orders; k=2: the one negative cannot fill both places
    assert tie_aware_recall(scores, positives, (1, 2)) == pytest.approx([2 / 3, 1.0])


def _order_average(scores, positives, k):
    # the recall averaged over every order of the items tied with the best positive, by enumeration
    best = scores[positives].max()
    tied = [i for i in range(len(scores)) if scores[i] == best]
    above = int((scores > best).sum())
    hits = [any(positives[i] for i in order[:max(0, k - above)]) for order in itertools.permutations(tied)]
    return float(np.mean(hits))


def test_mean_is_the_average_over_tie_orders():
    rng = np.random.default_rng(0)
    for _ in range(30):
        scores = torch.tensor(rng.integers(0, 4, size=7).astype(np.float32))  # many exact ties
        positives = torch.tensor(rng.random(7) < 0.3)
        if not positives.any():
            continue
        ks = (1, 2, 3, 5)
        assert tie_aware_recall(scores, positives, ks) == pytest.approx(
            [_order_average(scores, positives, k) for k in ks])


def test_reordering_the_items_cannot_change_a_recall():
    # identical captions of different images (as in real Karpathy splits): exact ties in text retrieval
    rng = torch.Generator().manual_seed(1)
    images = torch.nn.functional.normalize(torch.randn(8, 6, generator=rng), dim=-1)
    texts = torch.nn.functional.normalize(torch.randn(16, 6, generator=rng), dim=-1)
    texts[2] = texts[5] = texts[9] = images[1]  # one caption of images 1, 2 and 4, the same string
    owner = torch.arange(16) // 2
    values = []
    for seed in range(5):
        perm = torch.randperm(16, generator=torch.Generator().manual_seed(seed))
        scores, pos = images @ texts[perm].T, owner[perm][None] == torch.arange(8)[:, None]
        metric = TieAwareRetrievalRecall(topk=(1, 2))
        metric.process(None, [dict(pred_score=s, gt_label=torch.nonzero(p)[:, 0]) for s, p in zip(scores, pos)])
        values.append(metric.compute_metrics(metric.results))
    assert all(v == values[0] for v in values)
    # image 1 scores 1.0 with its own caption and two other images' captions: R@1 1/3, R@2 2/3
    assert tie_aware_recall(images[1] @ texts.T, owner == 1, (1, 2)) == pytest.approx([1 / 3, 2 / 3])


def test_bad_input():
    with pytest.raises(KeyError, match='mean'):
        TieAwareRetrievalRecall(topk=1, ties='random')
    with pytest.raises(ValueError, match='positive'):
        tie_aware_recall(torch.ones(3), torch.zeros(3, dtype=torch.bool), (1, ))


@pytest.mark.parametrize('config', ['zero_shot/eva_g_retrieval_coco.py', 'zero_shot/eva_e_retrieval_flickr30k.py',
                                    'zero_shot/tiny_synthetic_retrieval.py', 'blip2/retrieval_coco.py',
                                    'blip2/retrieval_flickr30k.py'])
def test_retrieval_configs_use_it(config):
    import os.path as osp

    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(osp.dirname(__file__), '..', '..', 'configs', config))
    assert cfg.test_evaluator.type == 'TieAwareRetrievalRecall'
