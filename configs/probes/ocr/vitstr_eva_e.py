# OCR probe on EVA-ViT-E (4.4 B, post-norm, width 1792): as vitstr_eva_g.py.
_base_ = ['./vitstr_eva_g.py']
model = dict(
    backbone=dict(arch='eva-e', init_cfg=dict(checkpoint=_base_.eva_e_checkpoint)),
    encoder=dict(in_channels=1792))
