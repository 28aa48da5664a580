# COCO Karpathy test (5k images, 25k captions) for image-text retrieval; 364 px, LAVIS's caption cleaning.
retrieval_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(364, 364), interpolation='bicubic', backend='pillow'),
    dict(type='CleanCaption', keys='text', remove_chars='.!"()*#:;~'),
    dict(type='PackInputs', algorithm_keys=['text', 'gt_text_id', 'gt_image_id'], meta_keys=['image_id']),
]
test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    collate_fn=dict(type='default_collate'),  # mmpretrain's preprocessor wants a batched tensor
    sampler=dict(type='mmpretrain.SequentialSampler', subsample_type='sequential'),
    dataset=dict(
        type='COCORetrieval',
        _scope_='mmpretrain',
        data_root='data/coco',
        ann_file='annotations/caption_karpathy_test2014.json',
        test_mode=True,
        pipeline=retrieval_test_pipeline))
# keys: i2t/coco/Recall@K (text retrieval), t2i/coco/Recall@K (image retrieval)
test_evaluator = dict(type='mmpretrain.RetrievalRecall', topk=(1, 5, 10), prefix='coco')
test_cfg = dict(type='mmpretrain.RetrievalTestLoop')  # image and text embeddings, then all-pairs scores
