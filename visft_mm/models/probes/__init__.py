"""What the out-of-domain evaluations add on a (LoRA-merged) EVAViT: the OCR probe's encoder / decoder (mmocr),
the zero-shot CLIP model (open_clip text tower), mmpretrain's BLIP-2 with LAVIS's protocol."""
from .blip2 import Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA
from .token_transformer_encoder import TokenTransformerEncoder
from .vitstr_decoder import ViTSTRDecoder
from .zero_shot_clip import ZeroShotCLIP

__all__ = ['Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA', 'TokenTransformerEncoder', 'ViTSTRDecoder',
           'ZeroShotCLIP']
