# Zero-shot image-text retrieval (Karpathy test split) in mmpretrain's RetrievalTestLoop: image and caption
# embeddings, then all-pairs scores.  i2t = text retrieval, t2i = image retrieval; R@1 / 5 / 10.
test_pipeline = [
    dict(type='LoadImageFromFile', imdecode_backend='pillow'),
    dict(type='mmpretrain.ResizeEdge', scale=224, edge='short', backend='pillow', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=224),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['text', 'gt_text_id', 'gt_image_id'],
         meta_keys=['image_id'])
]
test_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='KarpathyRetrieval', data_root='data/coco', ann_file='annotations/dataset_coco.json',
                 data_prefix='', split='test', pipeline=test_pipeline))
test_evaluator = dict(type='mmpretrain.RetrievalRecall', topk=(1, 5, 10))
test_cfg = dict(type='mmpretrain.RetrievalTestLoop')
