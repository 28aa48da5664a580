from .caption_metric import CocoCaptionMetric, score_captions
from .mean_per_class_recall import MeanPerClassRecall, mean_per_class_recall
from .multi_datasets_average import MultiDatasetsAverageEvaluator
from .nocaps_metric import NoCapsCaptionMetric
from .retrieval_recall import TieAwareRetrievalRecall, tie_aware_recall
from .vqa_metric import GQAExactMatch, VQAOfficialAccuracy, official_vqa_accuracy, vqa_accuracy

__all__ = [
    'CocoCaptionMetric', 'GQAExactMatch', 'MeanPerClassRecall', 'MultiDatasetsAverageEvaluator', 'NoCapsCaptionMetric',
    'TieAwareRetrievalRecall', 'VQAOfficialAccuracy', 'mean_per_class_recall', 'official_vqa_accuracy',
    'score_captions', 'tie_aware_recall', 'vqa_accuracy'
]
