# stage1_caption_tiny_synthetic.py on a tiny OpenAI CLIP L/14-shaped tower (CLIPViT openai-tiny, width 64).
_base_ = ['./stage1_caption_tiny_synthetic.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# OpenAI CLIP L/14-shaped CLIP: CLIPViT openai-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_openai_open_clip.pt'
model = dict(backbone=dict(type='CLIPViT', arch='openai-tiny', init_cfg=dict(checkpoint=eva_checkpoint)))
