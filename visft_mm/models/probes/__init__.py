"""The OCR probe's parts (configs/probes/ocr/): a ViTSTR-style mmocr decoder and the token encoder on a frozen
(LoRA-merged) EVAViT.  The GOI probe (configs/probes/goi/) is mmpretrain's own classifier and needs nothing here."""
from .token_transformer_encoder import TokenTransformerEncoder
from .vitstr_decoder import ViTSTRDecoder

__all__ = ['TokenTransformerEncoder', 'ViTSTRDecoder']
