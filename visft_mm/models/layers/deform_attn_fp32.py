"""Keep mmcv's multi-scale deformable attention kernel in fp32 under bf16.

mmcv's CUDA kernel ``ms_deform_attn_forward`` has no bf16 instantiation, so Mask2Former's pixel decoder fails
under ``torch.autocast(dtype=torch.bfloat16)`` or with bf16 weights.  The kernel is called only through
``MultiScaleDeformableAttnFunction.apply`` in ``mmcv.ops.multi_scale_deform_attn``; that one name is rebound to
:class:`FP32MultiScaleDeformableAttnFunction`, which runs the same kernel on fp32 copies with autocast off and
returns the caller's dtype.  fp32 inputs take exactly the old path.  The CPU path (pure torch) is not involved.
"""
import torch
from mmcv.ops import multi_scale_deform_attn as msda

_ORIGINAL = msda.MultiScaleDeformableAttnFunction


class FP32MultiScaleDeformableAttnFunction:
    """Drop-in for ``MultiScaleDeformableAttnFunction`` (same ``apply`` signature)."""

    kernel = _ORIGINAL

    @classmethod
    def apply(cls, value, spatial_shapes, level_start_index, sampling_locations, attention_weights, im2col_step):
        dtype = value.dtype
        if dtype == torch.float32 and not torch.is_autocast_enabled(value.device.type):
            return cls.kernel.apply(value, spatial_shapes, level_start_index, sampling_locations, attention_weights,
                                    im2col_step)
        with torch.autocast(value.device.type, enabled=False):
            out = cls.kernel.apply(value.float(), spatial_shapes, level_start_index, sampling_locations.float(),
                                   attention_weights.float(), im2col_step)
        return out.to(dtype)


def keep_deform_attn_in_fp32() -> None:
    """Idempotent."""
    msda.MultiScaleDeformableAttnFunction = FP32MultiScaleDeformableAttnFunction
