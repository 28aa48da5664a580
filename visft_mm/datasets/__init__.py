from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .coco import StrictCocoDataset
from .subset import SubsetDataset
from .zero_shot import GTSRBTest, KarpathyRetrieval, ZeroShotCIFAR10, ZeroShotCIFAR100, ZeroShotImageFolder  # noqa: F401

__all__ = [
    'CocoCaptionDataset', 'Vocabulary', 'read_caption_annotations', 'tokenize', 'StrictCocoDataset', 'SubsetDataset'
]
