# linear_tiny_synthetic.py on a tiny OpenAI CLIP L/14-shaped tower: the probe reads the pooled feature (the
# class token).
_base_ = ['./linear_tiny_synthetic.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# OpenAI CLIP L/14-shaped CLIP: CLIPViT openai-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_openai_open_clip.pt'
model = dict(backbone=dict(type='visft_mm.CLIPViT', arch='openai-tiny', out_type='pooled',
                           init_cfg=dict(checkpoint=eva_checkpoint)),
             head=dict(in_channels=64))
