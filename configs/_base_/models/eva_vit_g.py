# EVA-01-CLIP-g vision tower (1.0 B): 40 pre-norm blocks, width 1408, patch 14.
# The EVA-CLIP file is read in any layout (EVA-CLIP .pt, open_clip, timm, LAVIS: see eva_weights.py).
model = dict(
    backbone=dict(
        type='EVAViT',
        arch='eva-g',
        frozen=True,  # stage 1 trains heads on a frozen backbone; stage 2 adds lora=... (then only LoRA trains)
        with_cp=False,
        init_cfg=dict(type='EVAPretrained', checkpoint='checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt', lora=None)))
