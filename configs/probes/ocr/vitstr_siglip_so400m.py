# Table 3's OCR probe on SigLIP So400m/14:
# the patch tokens only (no class token: the first patch stands at [GO]).
_base_ = ['./vitstr_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='siglip-so400m', init_cfg=dict(checkpoint=_base_.siglip_so400m_checkpoint)),
    encoder=dict(in_channels=1152))
