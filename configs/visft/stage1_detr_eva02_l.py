# Stage 1, detection on the frozen EVA02-CLIP-L/14 (CLIPViT, the patch-token map, width 1024).
# The file: open_clip's EVA02-L-14 'merged2b_s4b_b131k' (README, CLIP families).
_base_ = ['./stage1_detr_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='eva02-l', init_cfg=dict(checkpoint=_base_.eva02_l_checkpoint)),
    neck=dict(in_channels=[1024]))
