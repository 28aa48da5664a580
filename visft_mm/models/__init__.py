from . import layers  # noqa: F401  (mmcv deformable attention in fp32 under bf16)
from .backbones import EVAViT
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder

__all__ = ['EVAViT', 'LSTMCaptioner', 'SingleLevelDETR', 'SingleLevelMask2Former', 'SingleLevelPixelDecoder']
