from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .clovaai_lmdb import ClovaaiLMDBDataset
from .coco import StrictCocoDataset
from .subset import SubsetDataset

__all__ = [
    'CocoCaptionDataset', 'Vocabulary', 'read_caption_annotations', 'tokenize', 'ClovaaiLMDBDataset',
    'StrictCocoDataset', 'SubsetDataset'
]
