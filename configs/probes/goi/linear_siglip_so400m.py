# Table 4's GOI linear probe on SigLIP So400m/14:
# the pooled feature (SigLIP's attention-pool (map) output: it has no class token).
_base_ = ['./linear_eva_g.py']
model = dict(
    backbone=dict(type='visft_mm.CLIPViT', arch='siglip-so400m', out_type='pooled',
                  init_cfg=dict(checkpoint=_base_.siglip_so400m_checkpoint)),
    head=dict(in_channels=1152))
