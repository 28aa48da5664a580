"""ViTSTR's prediction head on mmocr's decoder interface (dictionary, CE loss and postprocessor from mmocr)."""
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders import BaseDecoder

from visft_mm.registry import MODELS


@MODELS.register_module()
class ViTSTRDecoder(BaseDecoder):
    """One linear classifier shared by the first ``max_seq_len + 1`` tokens (ViTSTR, Atienza 2021).

    Token 0 (the CLS token) stands where ViTSTR's ``[GO]`` target is, which ViTSTR's loss ignores; token ``t``
    (1 <= t <= max_seq_len) predicts the ``t``-th target: the characters, then the end token, then padding.  With a
    dictionary without start token (``with_start=False, with_end=True, with_padding=True``) mmocr's
    ``CEModuleLoss`` builds exactly these targets (``padded_indexes``) and ignores the padding, and mmocr's
    ``AttentionPostprocessor`` reads up to the end token.  ViTSTR's 25 characters + end token is
    ``max_seq_len=26``: 27 tokens read, as ViTSTR's ``seqlen``.

    Args:
        in_channels: width of the tokens read (the encoder's ``d_model``; the backbone width without encoder).
        dictionary / module_loss / postprocessor / max_seq_len: as mmocr's :class:`BaseDecoder`.
    """

    def __init__(self,
                 in_channels: int,
                 dictionary: Union[Dict, Dictionary],
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 max_seq_len: int = 26,
                 init_cfg=dict(type='Xavier', layer='Linear')):
        super().__init__(dictionary=dictionary, module_loss=module_loss, postprocessor=postprocessor,
                         max_seq_len=max_seq_len, init_cfg=init_cfg)
        if self.dictionary.start_idx is not None:
            raise ValueError('ViTSTRDecoder needs a Dictionary with with_start=False: the CLS token takes the start '
                             "token's place, and a start token in the targets would shift them by one position")
        if self.dictionary.end_idx is None:
            raise ValueError('ViTSTRDecoder needs a Dictionary with with_end=True: the end token marks where a word '
                             'ends in the parallel prediction')
        self.classifier = nn.Linear(in_channels, self.dictionary.num_classes)

    def _logits(self, feat, out_enc: Optional[torch.Tensor]) -> torch.Tensor:
        tokens = out_enc if out_enc is not None else (feat[-1] if isinstance(feat, (tuple, list)) else feat)
        if tokens.dim() != 3 or tokens.size(1) < self.max_seq_len + 1:
            raise ValueError(f'ViTSTRDecoder reads max_seq_len + 1 = {self.max_seq_len + 1} tokens (N, L, C), got '
                             f'shape {tuple(tokens.shape)}: use a larger input or a smaller max_seq_len')
        return self.classifier(tokens[:, 1:self.max_seq_len + 1])

    def forward_train(self, feat=None, out_enc=None, data_samples: Optional[Sequence] = None) -> torch.Tensor:
        """Logits (N, max_seq_len, num_classes), aligned with ``gt_text.padded_indexes``."""
        return self._logits(feat, out_enc)

    def forward_test(self, feat=None, out_enc=None, data_samples: Optional[Sequence] = None) -> torch.Tensor:
        """Character probabilities (N, max_seq_len, num_classes), as mmocr's postprocessors take them."""
        return self._logits(feat, out_enc).softmax(dim=-1)
