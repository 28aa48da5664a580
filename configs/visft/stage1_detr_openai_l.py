# Stage 1, detection on the frozen OpenAI CLIP ViT-L/14 (CLIPViT, the patch-token map, width 1024).
# The file: open_clip's ViT-L-14 'openai' (README, CLIP families).
_base_ = ['./stage1_detr_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='openai-l', init_cfg=dict(checkpoint=_base_.openai_l_checkpoint)),
    neck=dict(in_channels=[1024]))
