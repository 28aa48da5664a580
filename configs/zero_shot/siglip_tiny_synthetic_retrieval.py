# tiny_synthetic_retrieval.py with a tiny SigLIP So400m-shaped CLIP (CLIPViT siglip-tiny + its open_clip text tower).
_base_ = ['./tiny_synthetic_retrieval.py']
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# SigLIP So400m-shaped CLIP: CLIPViT siglip-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_siglip_open_clip.pt'
model = dict(
    backbone=dict(type='CLIPViT', arch='siglip-tiny', out_type='pooled', init_cfg=dict(checkpoint=eva_checkpoint)),
    # the tiny twin's open_clip text tower (visft_mm.testing.clip_families.family_clip_config('siglip'))
    text_model=dict(embed_dim=64, text_cfg=dict(
        context_length=77, vocab_size=49408, width=64, heads=2, layers=2, mlp_ratio=3.7362, no_causal_mask=True,
        proj_bias=True, pool_type='last', norm_kwargs=dict(eps=1e-6)), _delete_=True))
