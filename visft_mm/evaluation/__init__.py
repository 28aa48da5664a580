from .caption_metric import CocoCaptionMetric, score_captions
from .multi_datasets_average import MultiDatasetsAverageEvaluator

__all__ = ['CocoCaptionMetric', 'MultiDatasetsAverageEvaluator', 'score_captions']
