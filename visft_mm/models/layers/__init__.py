from .deform_attn_fp32 import FP32MultiScaleDeformableAttnFunction, keep_deform_attn_in_fp32

keep_deform_attn_in_fp32()

__all__ = ['FP32MultiScaleDeformableAttnFunction', 'keep_deform_attn_in_fp32']
