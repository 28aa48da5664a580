# Table 4's GOI linear probe on OpenAI CLIP ViT-L/14:
# the pooled feature (the class token).
_base_ = ['./linear_eva_g.py']
model = dict(
    backbone=dict(type='visft_mm.CLIPViT', arch='openai-l', out_type='pooled',
                  init_cfg=dict(checkpoint=_base_.openai_l_checkpoint)),
    head=dict(in_channels=1024))
