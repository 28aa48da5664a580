"""DETR on one stride-14 ViT feature map, with a narrower encoder than decoder (ViSFT's detection head).

ViSFT's head: 1x1 projection of the backbone map to 128 (mmdet's ``ChannelMapper`` neck), 6 encoder layers at
width 128, a linear map 128 -> 256, 6 decoder layers at width 256.  mmdet's DETR assumes one width throughout, so
this subclass adds the projection between encoder and decoder and a sine position encoding per width.
"""
import torch.nn as nn
from mmdet.models.detectors import DETR
from mmdet.models.layers import SinePositionalEncoding

from visft_mm.registry import MODELS
from .utils import check_input_width


@MODELS.register_module()
class SingleLevelDETR(DETR):
    """mmdet's DETR whose encoder width (``encoder.layer_cfg.self_attn_cfg.embed_dims``) may differ from the
    decoder's; everything else (assigner, losses, head, data flow) is mmdet's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_input_width(self, [conv.conv.in_channels for conv in self.neck.convs], 'neck.in_channels')

    def _init_layers(self) -> None:
        encoder_dims = self.encoder['layer_cfg']['self_attn_cfg']['embed_dims']
        decoder_dims = self.decoder['layer_cfg']['self_attn_cfg']['embed_dims']
        position_cfg = dict(self.positional_encoding)
        # mmdet's DETR._init_layers checks num_feats against the (single) width: give it the encoder's.
        self.positional_encoding = dict(position_cfg, num_feats=encoder_dims // 2)
        super()._init_layers()
        self.embed_dims = decoder_dims
        self.query_embedding = nn.Embedding(self.num_queries, decoder_dims)
        self.decoder_positional_encoding = SinePositionalEncoding(**dict(position_cfg, num_feats=decoder_dims // 2))
        self.memory_proj = nn.Linear(encoder_dims, decoder_dims) if encoder_dims != decoder_dims else nn.Identity()

    def pre_transformer(self, img_feats, batch_data_samples=None):
        encoder_inputs, decoder_inputs = super().pre_transformer(img_feats, batch_data_samples)
        batch_size, _, h, w = img_feats[-1].shape
        masks = decoder_inputs['memory_mask'].view(batch_size, h, w)
        decoder_inputs['memory_pos'] = self.decoder_positional_encoding(masks).flatten(2).transpose(1, 2)
        return encoder_inputs, decoder_inputs

    def forward_encoder(self, feat, feat_mask, feat_pos) -> dict:
        memory = super().forward_encoder(feat, feat_mask, feat_pos)['memory']
        return dict(memory=self.memory_proj(memory))
