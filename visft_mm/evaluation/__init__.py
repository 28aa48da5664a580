from .caption_metric import CocoCaptionMetric, score_captions

__all__ = ['CocoCaptionMetric', 'score_captions']
