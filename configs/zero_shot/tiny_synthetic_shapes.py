# CPU demo: zero-shot shape classification with a tiny EVA-CLIP-shaped model
# (visft_mm.testing.synthetic_clip.write_tiny_eva_clip -> data/synthetic/checkpoints/tiny_clip_eva_clip.pt; the
# issue-15 demo trains it contrastively first) on class folders written by write_shape_folders.
_base_ = ['./_base_/datasets/clip_classification.py']
clip_checkpoint = 'data/synthetic/checkpoints/tiny_clip_eva_clip.pt'
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='tiny', frozen=True, out_type='cls_token',
                  init_cfg=dict(type='EVAPretrained', checkpoint=clip_checkpoint, lora=None)),
    # visft_mm.testing.synthetic_clip.tiny_clip_config(): text tower 64 wide x 2 layers, embedding 64
    text_model=dict(embed_dim=64, text_cfg=dict(context_length=77, vocab_size=49408, width=64, heads=2, layers=2)),
    clip_checkpoint=clip_checkpoint,
    prompts=dict(classnames=['circle', 'square', 'star', 'triangle'],
                 templates=['a photo of a {c}.', 'a {c} on a gray background.', 'a drawing of a {c}.']),
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=[122.770938, 116.7460125, 104.09373615],
                           std=[68.5005327, 66.6321579, 70.32316305], to_rgb=True))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(_delete_=True, type='ZeroShotImageFolder', data_root='data/synthetic/shapes_cls',
                 classnames=['circle', 'square', 'star', 'triangle'], pipeline={{_base_.test_pipeline}}))
test_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro'),
]
