from . import layers  # noqa: F401  (mmcv deformable attention in fp32 under bf16)
from . import probes  # noqa: F401  (evaluation probes: zero-shot CLIP, ...)
from .backbones import BackboneFeatures, EVAViT
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder
from .visft import TaskDataPreprocessor, ViSFT

__all__ = [
    'BackboneFeatures', 'EVAViT', 'LSTMCaptioner', 'SingleLevelDETR', 'SingleLevelMask2Former',
    'SingleLevelPixelDecoder', 'TaskDataPreprocessor', 'ViSFT'
]
