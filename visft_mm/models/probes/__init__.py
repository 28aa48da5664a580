from .token_transformer_encoder import TokenTransformerEncoder
from .vitstr_decoder import ViTSTRDecoder

__all__ = ['TokenTransformerEncoder', 'ViTSTRDecoder']
