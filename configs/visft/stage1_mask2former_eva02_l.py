# Stage 1, instance segmentation on the frozen EVA02-CLIP-L/14 (CLIPViT, patch-token map, width 1024).
_base_ = ['./stage1_mask2former_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='eva02-l', init_cfg=dict(checkpoint=_base_.eva02_l_checkpoint)),
    panoptic_head=dict(in_channels=[1024]))
