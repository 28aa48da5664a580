from .backbones import EVAViT
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder

__all__ = ['EVAViT', 'SingleLevelDETR', 'SingleLevelMask2Former', 'SingleLevelPixelDecoder']
