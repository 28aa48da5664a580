from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .coco import StrictCocoDataset
from .subset import SubsetDataset

__all__ = [
    'CocoCaptionDataset', 'Vocabulary', 'read_caption_annotations', 'tokenize', 'StrictCocoDataset', 'SubsetDataset'
]
