# Stage 1, detection on the frozen SigLIP So400m/14 (CLIPViT, the patch-token map, width 1152).
# The file: open_clip's ViT-SO400M-14-SigLIP 'webli' (README, CLIP families).
_base_ = ['./stage1_detr_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=_base_.siglip_mean, std=_base_.siglip_std),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m', init_cfg=dict(checkpoint=_base_.siglip_so400m_checkpoint)),
    neck=dict(in_channels=[1152]))
