# Table 4's GOI linear probe on EVA02-CLIP-L/14:
# the pooled feature (the class token).
_base_ = ['./linear_eva_g.py']
model = dict(
    backbone=dict(type='visft_mm.CLIPViT', arch='eva02-l', out_type='pooled',
                  init_cfg=dict(checkpoint=_base_.eva02_l_checkpoint)),
    head=dict(in_channels=1024))
