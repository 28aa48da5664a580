"""A lightweight transformer on the frozen backbone's tokens: the trainable body of the OCR probe."""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
from mmocr.models.common import TFEncoderLayer
from mmocr.models.textrecog.encoders import BaseEncoder

from visft_mm.registry import MODELS


@MODELS.register_module()
class TokenTransformerEncoder(BaseEncoder):
    """Input projection from the backbone width, ``num_layers`` of mmocr's ``TFEncoderLayer``, final LayerNorm.

    An mmocr text-recognition encoder (``forward(feat, data_samples)``) that takes tokens ``(N, L, C)`` instead of
    a feature map: ``EVAViT(out_type='raw')`` gives the CLS token and the patch tokens, with the ViT's position
    embedding already in them, so no positional encoding is added.  A backbone returning one tensor per out index
    (a tuple) is read at its last entry.

    Args:
        in_channels: the backbone width (1408 for eva-g, 1792 for eva-e).
        d_model / n_head / d_inner / num_layers / dropout: the transformer layers (``d_k = d_v = d_model / n_head``).
        operation_order: pre-norm by default, as mmocr's ``TFEncoderLayer``.
    """

    def __init__(self,
                 in_channels: int,
                 d_model: int = 512,
                 num_layers: int = 4,
                 n_head: int = 8,
                 d_inner: int = 2048,
                 dropout: float = 0.1,
                 operation_order: Optional[tuple] = None,
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = dict(type='Xavier', layer='Linear')):
        super().__init__(init_cfg=init_cfg)
        if d_model % n_head:
            raise ValueError(f'd_model {d_model} is not divisible by n_head {n_head}')
        self.input_proj = nn.Linear(in_channels, d_model)
        self.layers = nn.ModuleList(
            TFEncoderLayer(d_model, d_inner, n_head, d_model // n_head, d_model // n_head, dropout=dropout,
                           qkv_bias=True, operation_order=operation_order) for _ in range(num_layers))
        self.norm = nn.LayerNorm(d_model)

    def forward(self, feat: Union[torch.Tensor, Sequence[torch.Tensor]], data_samples=None) -> torch.Tensor:
        tokens = feat[-1] if isinstance(feat, (tuple, list)) else feat
        if tokens.dim() != 3:
            raise ValueError(f'TokenTransformerEncoder expects tokens (N, L, C), got shape {tuple(tokens.shape)}: '
                             "give the backbone out_type='raw'")
        x = self.input_proj(tokens)
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)
