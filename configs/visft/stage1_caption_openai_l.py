# Stage 1, captioning on the frozen OpenAI CLIP ViT-L/14 (the LSTM reads the backbone's width itself).
_base_ = ['./stage1_caption_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='openai-l', init_cfg=dict(checkpoint=_base_.openai_l_checkpoint)))
