from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .coco import StrictCocoDataset
from .subset import SubsetDataset
from .synthetic import SyntheticCocoGenerator, SyntheticDataConfig, generate_synthetic_data

__all__ = [
    'CocoCaptionDataset', 'Vocabulary', 'read_caption_annotations', 'tokenize', 'StrictCocoDataset', 'SubsetDataset',
    'SyntheticCocoGenerator', 'SyntheticDataConfig', 'generate_synthetic_data'
]
