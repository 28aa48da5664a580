from .backbones import BackboneFeatures, EVAViT
from .blip2 import Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder
from .layers import FP32MultiScaleDeformableAttention
from .probes import TokenTransformerEncoder, ViTSTRDecoder
from .visft import TaskDataPreprocessor, ViSFT
from .weights import EVAPretrained
from .zero_shot import ZeroShotCLIP

__all__ = [
    'BackboneFeatures', 'Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA', 'EVAPretrained', 'EVAViT',
    'FP32MultiScaleDeformableAttention', 'LSTMCaptioner', 'SingleLevelDETR', 'SingleLevelMask2Former',
    'SingleLevelPixelDecoder', 'TaskDataPreprocessor', 'TokenTransformerEncoder', 'ViSFT', 'ViTSTRDecoder',
    'ZeroShotCLIP'
]
