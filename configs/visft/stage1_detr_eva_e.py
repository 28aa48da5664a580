# Stage 1, detection on the frozen EVA-ViT-E (4.4 B, post-norm).
_base_ = ['./stage1_detr_eva_g.py']
model = dict(
    backbone=dict(arch='eva-e', init_cfg=dict(checkpoint=_base_.eva_e_checkpoint)),
    neck=dict(in_channels=[1792]))
