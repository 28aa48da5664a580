# Table 4: linear probe of the [CLS] token on M3IT coco-goi, EVA-ViT-E (EVA-02-CLIP-E/14+; frozen).
_base_ = ['./linear_eva_g.py']
model = dict(
    backbone=dict(arch='eva-e', init_cfg=dict(checkpoint=_base_.eva_e_checkpoint)),
    head=dict(in_channels=1792))
