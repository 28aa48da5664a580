# A tiny EVA-CLIP-shaped model for CPU demos and tests: EVAViT 'tiny' + head, open_clip text tower 64 x 2 layers
# (visft_mm.testing.synthetic_clip.tiny_clip_config()), written by write_tiny_eva_clip in the EVA-CLIP layout.
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='tiny', frozen=True, out_type='cls_token',
                  # the EVA-CLIP file: the vision trunk (+ --lora) here; ZeroShotCLIP reads the head, text tower and
                  # logit_scale from the same file
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint='data/synthetic/checkpoints/tiny_clip_eva_clip.pt')),
    text_model=dict(embed_dim=64, text_cfg=dict(context_length=77, vocab_size=49408, width=64, heads=2, layers=2)),
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True))
