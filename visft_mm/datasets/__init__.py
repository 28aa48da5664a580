from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .coco import StrictCocoDataset
from .gqa import GQABalanced
from .nocaps import NoCapsImages
from .subset import SubsetDataset

__all__ = [
    'CocoCaptionDataset', 'GQABalanced', 'NoCapsImages', 'Vocabulary', 'read_caption_annotations', 'tokenize',
    'StrictCocoDataset', 'SubsetDataset'
]
