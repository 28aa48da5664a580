"""Image-text retrieval Recall@K that tied scores cannot change.

Reference: CLIP_benchmark 1.6.2 ``clip_benchmark/metrics/zeroshot_retrieval.py`` (``recall_at_k``, the same rule
since 2022): a query scores 1 at k when at least one of its positives is among ``torch.topk(scores, k)``, averaged
over queries (LAVIS's
``RetrievalTask._report_metrics``, used for BLIP-2, is the same rule on ``np.argsort``).  Without ties that is the
number of items scoring above the best positive being < k.  With ties (identical captions give identical text
embeddings, and real Karpathy splits have duplicate captions) the set ``topk`` returns is unspecified: torch gives
different members of a tied group for different k, so CLIP_benchmark's recall then depends on torch's kernel, and
mmpretrain's ``RetrievalRecall`` (one ``topk(max k)``, sliced) differs again.

Here the items tied with the best positive are taken in every order, and a query scores the fraction of those
orders that put a positive in the top k (``ties='mean'``, the default): with ``g`` negatives above the best
positive, ``t`` negatives and ``q`` positives at its score, recall@k is 0 for ``k <= g``, 1 for ``k > g + t`` and
``1 - C(t, m) / C(t + q, m)`` for ``m = k - g`` between.  This equals CLIP_benchmark's value whenever there is no
tie and its average over tie-breaks otherwise, and no reordering of the data changes it.  ``'optimistic'``
(ties broken for the positive) and ``'pessimistic'`` (against it) bound it.
"""
from math import comb
from typing import Dict, List, Sequence

import torch
from mmpretrain.evaluation import RetrievalRecall
from mmpretrain.structures import label_to_onehot

from visft_mm.registry import METRICS


def _hit_mean(g: int, t: int, q: int, k: int) -> float:
    if k <= g:
        return 0.0
    m = k - g
    return 1.0 if m > t else 1.0 - comb(t, m) / comb(t + q, m)


# tie rule -> (negatives above, negatives tied, positives tied, k) -> recall of one query at k
TIE_RULES = {
    'mean': _hit_mean,
    'optimistic': lambda g, t, q, k: float(g < k),
    'pessimistic': lambda g, t, q, k: float(g + t < k),
}


def tie_aware_recall(scores: torch.Tensor, positives: torch.Tensor, topk: Sequence[int],
                     ties: str = 'mean') -> List[float]:
    """Recall@k in [0, 1] of one query for each ``k``: ``scores`` over all items, ``positives`` a boolean mask."""
    if ties not in TIE_RULES:
        raise KeyError(f'unknown tie rule {ties!r}; known: {sorted(TIE_RULES)}')
    positives = positives.bool()
    if not positives.any():
        raise ValueError('a retrieval query without any positive item')
    best = scores[positives].max()
    negatives = scores[~positives]
    g = int((negatives > best).sum())
    t = int((negatives == best).sum())
    q = int((scores[positives] == best).sum())
    return [TIE_RULES[ties](g, t, q, k) for k in topk]


@METRICS.register_module()
class TieAwareRetrievalRecall(RetrievalRecall):
    """Recall@K (percent) of CLIP_benchmark 1.6.2 ``zeroshot_retrieval.py`` / LAVIS ``RetrievalTask``, with tied
    scores resolved by ``ties`` (see the module docstring).  A drop-in for mmpretrain's ``RetrievalRecall`` in its
    ``RetrievalTestLoop`` (same inputs, same ``Recall@K`` keys).

    Args:
        topk: the k's.
        ties: ``'mean'`` (average over tie orders), ``'optimistic'`` or ``'pessimistic'``.
    """

    def __init__(self, topk, ties: str = 'mean', collect_device: str = 'cpu', prefix=None):
        super().__init__(topk=topk, collect_device=collect_device, prefix=prefix)
        if ties not in TIE_RULES:
            raise KeyError(f'TieAwareRetrievalRecall: unknown ties {ties!r}; known: {sorted(TIE_RULES)}')
        self.ties = ties

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            scores = sample['pred_score'].float()
            if 'gt_score' in sample:
                positives = sample['gt_score'] > 0
            else:
                positives = label_to_onehot(sample['gt_label'], scores.numel()).bool()
            self.results.append(tie_aware_recall(scores.cpu(), positives.cpu(), self.topk, self.ties))

    def compute_metrics(self, results: List[List[float]]) -> Dict[str, float]:
        return {f'Recall@{k}': 100.0 * sum(r[i] for r in results) / len(results) for i, k in enumerate(self.topk)}
