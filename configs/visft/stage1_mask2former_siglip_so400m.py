# Stage 1, instance segmentation on the frozen SigLIP So400m/14 (CLIPViT, patch-token map, width 1152).
_base_ = ['./stage1_mask2former_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=_base_.siglip_mean, std=_base_.siglip_std),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m', init_cfg=dict(checkpoint=_base_.siglip_so400m_checkpoint)),
    panoptic_head=dict(in_channels=[1152]))
