# Stage 1, detection on the frozen SigLIP So400m/14 (CLIPViT, the patch-token map, width 1152).
# The file: open_clip's ViT-SO400M-14-SigLIP 'webli' (README, CLIP families).
_base_ = ['./stage1_detr_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m',
                  init_cfg=dict(checkpoint='checkpoints/ViT-SO400M-14-SigLIP_webli.bin')),
    neck=dict(in_channels=[1152]))
