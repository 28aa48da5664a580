from . import layers  # noqa: F401  (mmcv deformable attention in fp32 under bf16)
from .backbones import BackboneFeatures, EVAViT
from .captioners import LSTMCaptioner
from .detectors import SingleLevelDETR, SingleLevelMask2Former, SingleLevelPixelDecoder
from .probes import Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA
from .visft import TaskDataPreprocessor, ViSFT

__all__ = [
    'BackboneFeatures', 'Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA', 'EVAViT', 'LSTMCaptioner',
    'SingleLevelDETR', 'SingleLevelMask2Former', 'SingleLevelPixelDecoder', 'TaskDataPreprocessor', 'ViSFT'
]
