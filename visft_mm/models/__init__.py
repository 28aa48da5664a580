from .backbones import BackboneFeatures, EVAPretrained, EVAViT
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder
from .layers import FP32MultiScaleDeformableAttention
from .safe_pretrained import SafePretrained
from .probes import (Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA, TokenTransformerEncoder, ViTSTRDecoder,
                     ZeroShotCLIP)
from .visft import TaskDataPreprocessor, ViSFT

__all__ = [
    'BackboneFeatures', 'Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA', 'EVAPretrained', 'EVAViT',
    'FP32MultiScaleDeformableAttention', 'LSTMCaptioner', 'SafePretrained', 'SingleLevelDETR', 'SingleLevelMask2Former',
    'SingleLevelPixelDecoder', 'TaskDataPreprocessor', 'TokenTransformerEncoder', 'ViSFT', 'ViTSTRDecoder',
    'ZeroShotCLIP'
]
