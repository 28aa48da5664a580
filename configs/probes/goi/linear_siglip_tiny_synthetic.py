# linear_tiny_synthetic.py on a tiny SigLIP So400m-shaped tower: the probe reads the pooled feature (the
# attention-pool (map) output).
_base_ = ['./linear_tiny_synthetic.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# SigLIP So400m-shaped CLIP: CLIPViT siglip-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_siglip_open_clip.pt'
model = dict(backbone=dict(type='visft_mm.CLIPViT', arch='siglip-tiny', out_type='pooled',
                           init_cfg=dict(checkpoint=eva_checkpoint)),
             head=dict(in_channels=64))
