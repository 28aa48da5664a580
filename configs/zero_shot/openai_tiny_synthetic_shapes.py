# tiny_synthetic_shapes.py with a tiny OpenAI CLIP L/14-shaped CLIP (CLIPViT openai-tiny + its open_clip text tower).
_base_ = ['./tiny_synthetic_shapes.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# OpenAI CLIP L/14-shaped CLIP: CLIPViT openai-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_openai_open_clip.pt'
model = dict(
    backbone=dict(type='CLIPViT', arch='openai-tiny', out_type='pooled', init_cfg=dict(checkpoint=eva_checkpoint)),
    # the tiny twin's open_clip text tower (visft_mm.testing.clip_families.family_clip_config('openai'))
    text_model=dict(embed_dim=32, quick_gelu=True, text_cfg=dict(
        context_length=77, vocab_size=49408, width=64, heads=2, layers=2), _delete_=True))
