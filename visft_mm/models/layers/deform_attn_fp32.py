"""Multi-scale deformable attention that stays in fp32 under bf16 autocast.

mmcv's CUDA kernel ``ms_deform_attn_forward`` has no bf16 instantiation, so mmcv's ``MultiScaleDeformableAttention``
fails under ``torch.autocast(dtype=torch.bfloat16)`` (``--amp``).  :class:`FP32MultiScaleDeformableAttention` is that
module with autocast switched off around it and its floating-point inputs in fp32; without autocast it is mmcv's
module unchanged.  Only visft_mm's own modules use it (:class:`SingleLevelPixelDecoder`): mmcv's kernel and class
stay as they are for every other model in the process.
"""
import torch
from mmcv.ops import MultiScaleDeformableAttention

from visft_mm.registry import MODELS


def _fp32(value):
    return value.float() if torch.is_tensor(value) and value.is_floating_point() else value


@MODELS.register_module()
class FP32MultiScaleDeformableAttention(MultiScaleDeformableAttention):
    """mmcv's ``MultiScaleDeformableAttention`` (same arguments, same weights) computed in fp32 under autocast;
    its output is then fp32."""

    def forward(self, *args, **kwargs):
        device_type = self.value_proj.weight.device.type
        if not torch.is_autocast_enabled(device_type):
            return super().forward(*args, **kwargs)
        with torch.autocast(device_type, enabled=False):
            return super().forward(*map(_fp32, args), **{key: _fp32(value) for key, value in kwargs.items()})
