# stage1_detr_tiny_synthetic.py on a tiny SigLIP So400m-shaped tower (CLIPViT siglip-tiny, width 64).
_base_ = ['./stage1_detr_tiny_synthetic.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# SigLIP So400m-shaped CLIP: CLIPViT siglip-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_siglip_open_clip.pt'
model = dict(
    backbone=dict(type='CLIPViT', arch='siglip-tiny', init_cfg=dict(checkpoint=eva_checkpoint)),
    neck=dict(in_channels=[64]))
