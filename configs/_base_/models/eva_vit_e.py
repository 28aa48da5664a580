# EVA-02-CLIP-E vision tower (4.4 B): 64 post-norm blocks, width 1792, patch 14.
model = dict(
    backbone=dict(
        type='EVAViT',
        arch='eva-e',
        frozen=True,  # stage 1 trains heads on a frozen backbone; stage 2 adds lora=... (then only LoRA trains)
        with_cp=False,
        init_cfg=dict(type='EVAPretrained', checkpoint='checkpoints/EVA02_CLIP_E_psz14_plus_s9B.pt', lora=None)))
