from .single_level_detr import SingleLevelDETR
from .single_level_mask2former import SingleLevelMask2Former, SingleLevelPixelDecoder

__all__ = ['SingleLevelDETR', 'SingleLevelMask2Former', 'SingleLevelPixelDecoder']
