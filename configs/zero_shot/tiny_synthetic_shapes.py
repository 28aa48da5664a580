# CPU demo: zero-shot shape classification with the tiny EVA-CLIP-shaped model (the issue-15 demo trains it
# contrastively first) on class folders written by visft_mm.testing.synthetic_clip.write_shape_folders.
_base_ = ['../_base_/models/zero_shot_tiny_clip.py', '../_base_/datasets/zero_shot/clip_classification.py',
          '../_base_/eval_runtime.py']
shapes = ['circle', 'square', 'star', 'triangle']
model = dict(prompts=dict(classnames=shapes, templates=['a photo of a {c}.', 'a {c} on a gray background.',
                                                         'a drawing of a {c}.']))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(benchmark=None, classnames=shapes, data_root='data/synthetic/shapes_cls'))
test_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro'),
]
