"""What the out-of-domain evaluations add on a (LoRA-merged) EVAViT: the OCR probe's encoder / decoder (mmocr),
the zero-shot CLIP model (open_clip text tower)."""
from .token_transformer_encoder import TokenTransformerEncoder
from .vitstr_decoder import ViTSTRDecoder
from .zero_shot_clip import ZeroShotCLIP

__all__ = ['TokenTransformerEncoder', 'ViTSTRDecoder', 'ZeroShotCLIP']
