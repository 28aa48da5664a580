# Table 3's OCR probe on OpenAI CLIP ViT-L/14:
# the class token and the patch tokens.
_base_ = ['./vitstr_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='openai-l', init_cfg=dict(checkpoint=_base_.openai_l_checkpoint)),
    encoder=dict(in_channels=1024))
