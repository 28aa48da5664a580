"""Mean per-class recall as CLIP_benchmark reports it.

Reference: CLIP_benchmark 1.6.2 ``clip_benchmark/metrics/zeroshot_classification.py`` ``evaluate``:
``mean_per_class_recall = sklearn.metrics.balanced_accuracy_score(target, logits.argmax(1))``, i.e. the recall of
each class that has test images, averaged over those classes (sklearn drops classes absent from the targets, with a
warning, when only predictions name them).  mmpretrain's ``SingleLabelMetric(items=('recall',), average='macro')``
averages over all ``num_classes`` and counts a class without test images as recall 0, so the two differ whenever a
class has no images (a subset, a filtered split).  The one definition is written here rather than importing
scikit-learn for it.
"""
from typing import Dict, List, Sequence

import torch
from mmengine.evaluator import BaseMetric

from visft_mm.registry import METRICS


def mean_per_class_recall(pred: torch.Tensor, target: torch.Tensor) -> float:
    """Balanced accuracy in [0, 1]: ``pred`` / ``target`` class indices, classes without targets left out."""
    pred, target = torch.as_tensor(pred).flatten(), torch.as_tensor(target).flatten()
    if pred.shape != target.shape or target.numel() == 0:
        raise ValueError(f'mean per-class recall needs as many predictions as targets (>= 1), got '
                         f'{pred.numel()} and {target.numel()}')
    recalls = [(pred[target == c] == c).float().mean() for c in torch.unique(target)]
    return float(torch.stack(recalls).mean())


@METRICS.register_module()
class MeanPerClassRecall(BaseMetric):
    """CLIP_benchmark's ``mean_per_class_recall`` (percent; sklearn's balanced accuracy of the top-1 prediction).

    The key is ``recall`` under the prefix (default ``single-label``), so it stands where mmpretrain's
    ``SingleLabelMetric`` macro recall stood in the zero-shot configs.
    """

    default_prefix = 'single-label'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'pred_score' in sample:
                pred = int(torch.as_tensor(sample['pred_score']).argmax())
            else:
                pred = int(torch.as_tensor(sample['pred_label']).flatten()[0])
            self.results.append((pred, int(torch.as_tensor(sample['gt_label']).flatten()[0])))

    def compute_metrics(self, results: List[tuple]) -> Dict[str, float]:
        pred, target = torch.tensor(results).T
        return dict(recall=100.0 * mean_per_class_recall(pred, target))
