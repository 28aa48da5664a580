# Zero-shot classification as EVA-CLIP / CLIP_benchmark evaluate: short side to 224 (bicubic, PIL), centre crop
# 224, CLIP statistics (in the model's data_preprocessor).  Top-1 / top-5 and the mean per-class recall.
test_pipeline = [
    dict(type='LoadImageFromFile', imdecode_backend='pillow'),
    dict(type='mmpretrain.ResizeEdge', scale=224, edge='short', backend='pillow', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=224),
    dict(type='mmpretrain.PackInputs')
]
test_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ZeroShotImageFolder', benchmark='imagenet1k', data_root='data/imagenet/val',
                 pipeline=test_pipeline))
test_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, 5)),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro'),  # mean per-class recall
]
test_cfg = dict(type='TestLoop')
