"""Mask2Former on one stride-14 ViT feature map (ViSFT's segmentation head).

Everything is mmdet's Mask2Former; with a single level the pixel decoder's deformable-attention encoder sees only the
stride-14 map and the mask features come out at stride 14.  :class:`SingleLevelPixelDecoder` can upsample them
(``mask_upsample_factor`` 2 or 4: stride 7 / 3.5) for finer masks; the paper's setting is 1.  Its deformable
attention runs in fp32 under bf16 autocast (:class:`~visft_mm.models.layers.FP32MultiScaleDeformableAttention`:
mmcv's CUDA kernel has no bf16).
"""
import math

import torch.nn as nn
from mmdet.models.detectors import Mask2Former
from mmdet.models.layers import MSDeformAttnPixelDecoder

from visft_mm.registry import MODELS
from ..layers import FP32MultiScaleDeformableAttention
from .utils import check_input_width


@MODELS.register_module()
class SingleLevelPixelDecoder(MSDeformAttnPixelDecoder):
    """mmdet's ``MSDeformAttnPixelDecoder`` with an optional learnt upsampling of the mask features and its
    encoder's deformable attention in fp32 under autocast."""

    def __init__(self, *args, mask_upsample_factor: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        for layer in self.encoder.layers:  # mmdet builds mmcv's class directly; same config, same parameter names
            layer.self_attn = FP32MultiScaleDeformableAttention(**layer.self_attn_cfg)
        steps = math.log2(mask_upsample_factor) if mask_upsample_factor >= 1 else -1
        if steps != int(steps):
            raise ValueError(f'mask_upsample_factor must be 1, 2, 4, ..., got {mask_upsample_factor}')
        channels = self.mask_feature.out_channels
        layers = []
        for _ in range(int(steps)):
            layers += [nn.ConvTranspose2d(channels, channels, 2, stride=2), nn.GroupNorm(32, channels),
                       nn.ReLU(inplace=True)]
        self.mask_upsample = nn.Sequential(*layers)

    def forward(self, feats):
        mask_feature, multi_scale_features = super().forward(feats)
        return self.mask_upsample(mask_feature), multi_scale_features


@MODELS.register_module()
class SingleLevelMask2Former(Mask2Former):
    """mmdet's Mask2Former, checked to take exactly the backbone's one feature map."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decoder = self.panoptic_head.pixel_decoder
        check_input_width(self, [conv.conv.in_channels for conv in decoder.input_convs],
                          'panoptic_head.in_channels')
