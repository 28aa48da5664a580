from .captions import CocoCaptionDataset, Vocabulary, read_caption_annotations, tokenize
from .clovaai_lmdb import ClovaaiLMDBDataset
from .coco import StrictCocoDataset
from .gqa import GQABalanced
from .m3it_goi import M3ITGOIDataset, goi_classes, write_goi_classes
from .nocaps import NoCapsImages
from .subset import SubsetDataset
from .transforms import LoadImageFromBase64
from .vqa import StrictCOCOVQA
from .zero_shot import GTSRBTest, KarpathyRetrieval, ZeroShotCIFAR10, ZeroShotCIFAR100, ZeroShotImageFolder

__all__ = [
    'CocoCaptionDataset', 'Vocabulary', 'read_caption_annotations', 'tokenize', 'ClovaaiLMDBDataset',
    'StrictCocoDataset', 'GQABalanced', 'M3ITGOIDataset', 'goi_classes', 'write_goi_classes', 'NoCapsImages',
    'SubsetDataset', 'LoadImageFromBase64', 'StrictCOCOVQA', 'GTSRBTest', 'KarpathyRetrieval', 'ZeroShotCIFAR10', 'ZeroShotCIFAR100',
    'ZeroShotImageFolder'
]
