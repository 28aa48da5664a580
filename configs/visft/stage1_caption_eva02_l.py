# Stage 1, captioning on the frozen EVA02-CLIP-L/14 (the LSTM reads the backbone's width itself).
_base_ = ['./stage1_caption_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='eva02-l', init_cfg=dict(checkpoint=_base_.eva02_l_checkpoint)))
