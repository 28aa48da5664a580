# stage1_caption_tiny_synthetic.py on a tiny EVA02-CLIP-L-shaped tower (CLIPViT eva02-tiny, width 64).
_base_ = ['./stage1_caption_tiny_synthetic.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# EVA02-CLIP-L-shaped CLIP: CLIPViT eva02-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_eva02_open_clip.pt'
model = dict(backbone=dict(type='CLIPViT', arch='eva02-tiny', init_cfg=dict(checkpoint=eva_checkpoint)))
