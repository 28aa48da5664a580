# Stage 1, instance segmentation on the frozen SigLIP So400m/14 (CLIPViT, patch-token map, width 1152).
_base_ = ['./stage1_mask2former_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m',
                  init_cfg=dict(checkpoint='checkpoints/ViT-SO400M-14-SigLIP_webli.bin')),
    panoptic_head=dict(in_channels=[1152]))
