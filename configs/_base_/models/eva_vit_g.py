# EVA-01-CLIP-g vision tower (1.0 B): 40 pre-norm blocks, width 1408, patch 14.  For EVA-02-CLIP-E (4.4 B, 64
# post-norm blocks, width 1792) override arch='eva-e' and init_cfg.checkpoint=_base_.eva_e_checkpoint.
# Scoped type names: the same backbone serves mmdet, mmocr and mmpretrain models (any _scope_).
_base_ = ['../constants.py']
model = dict(
    backbone=dict(
        type='visft_mm.EVAViT',
        arch='eva-g',
        frozen=True,  # stage 1 trains heads on a frozen backbone; stage 2 adds lora=... (then only LoRA trains)
        with_cp=False,
        init_cfg=dict(type='visft_mm.EVAPretrained', checkpoint=_base_.eva_g_checkpoint, lora=None)))
