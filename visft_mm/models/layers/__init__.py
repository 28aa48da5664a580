from .deform_attn_fp32 import FP32MultiScaleDeformableAttention

__all__ = ['FP32MultiScaleDeformableAttention']
