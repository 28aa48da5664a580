"""Per-benchmark scores plus their averages, as scene-text papers report them."""
from typing import Dict, Optional, Sequence

from mmocr.evaluation import MultiDatasetsEvaluator

from visft_mm.registry import EVALUATOR


@EVALUATOR.register_module()
class MultiDatasetsAverageEvaluator(MultiDatasetsEvaluator):
    """mmocr's :class:`MultiDatasetsEvaluator` (one score per dataset of a ``ConcatDataset``) plus averages.

    Args:
        metrics / dataset_prefixes: as mmocr's evaluator; the per-dataset keys stay
            ``{prefix}/{metric prefix}/{key}``, e.g. ``IIIT5k_3000/recog/word_acc_ignore_case_symbol``.
        averages: ``{name: dict(datasets=[prefixes] or None for all, weighted=bool)}``.  Each adds
            ``{name}/{metric prefix}/{key}`` for every key the averaged datasets report: ``weighted=True`` weighs
            each dataset by its number of samples (ViTSTR's "total accuracy" = all correct words / all words),
            ``weighted=False`` is the plain mean of the per-dataset scores.
    """

    def __init__(self, metrics, dataset_prefixes: Sequence[str], averages: Optional[Dict[str, dict]] = None):
        super().__init__(metrics, dataset_prefixes)
        self.averages = {}
        for name, spec in (averages or {}).items():
            unknown = set(spec) - {'datasets', 'weighted'}
            if unknown:
                raise ValueError(f'average {name!r}: unknown keys {sorted(unknown)} (use datasets, weighted)')
            datasets = list(spec.get('datasets') or dataset_prefixes)
            missing = [d for d in datasets if d not in dataset_prefixes]
            if missing:
                raise ValueError(f'average {name!r} names datasets {missing} that are not in dataset_prefixes '
                                 f'{list(dataset_prefixes)}')
            if name in dataset_prefixes:
                raise ValueError(f'average name {name!r} is also a dataset prefix')
            self.averages[name] = (datasets, bool(spec.get('weighted', False)))

    def evaluate(self, size: int) -> dict:
        results = super().evaluate(size)
        ends = self.dataset_meta.get('cumulative_sizes', [size])
        sizes = dict(zip(self.dataset_prefixes, (end - start for start, end in zip([0] + ends[:-1], ends))))
        for name, (datasets, weighted) in self.averages.items():
            suffixes = {key[len(datasets[0]) + 1:] for key in results if key.startswith(datasets[0] + '/')}
            for suffix in sorted(suffixes):
                scores = [results[f'{d}/{suffix}'] for d in datasets]
                weights = [sizes[d] if weighted else 1 for d in datasets]
                results[f'{name}/{suffix}'] = sum(s * w for s, w in zip(scores, weights)) / max(sum(weights), 1)
        return results
