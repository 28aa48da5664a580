from .backbones import BackboneFeatures, EVAViT
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder
from .layers import FP32MultiScaleDeformableAttention
from . import probes  # noqa: F401  (OCR probe: ViTSTRDecoder, TokenTransformerEncoder)
from .visft import TaskDataPreprocessor, ViSFT

__all__ = [
    'BackboneFeatures', 'EVAViT', 'FP32MultiScaleDeformableAttention', 'LSTMCaptioner', 'SingleLevelDETR',
    'SingleLevelMask2Former', 'SingleLevelPixelDecoder', 'TaskDataPreprocessor', 'ViSFT'
]
