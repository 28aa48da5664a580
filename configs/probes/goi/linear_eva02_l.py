# Table 4's GOI linear probe on EVA02-CLIP-L/14:
# the pooled feature (the class token).
_base_ = ['./linear_eva_g.py']
model = dict(
    backbone=dict(type='visft_mm.CLIPViT', arch='eva02-l', out_type='pooled',
                  init_cfg=dict(checkpoint='checkpoints/EVA02-L-14_merged2b_s4b_b131k.bin')),
    head=dict(in_channels=1024))
