# NoCaps val (4500 Open Images, 10 references each; in / near / out-of-domain), one caption per image.
# 364 px bicubic as LAVIS's captioning models.
nocaps_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(364, 364), interpolation='bicubic', backend='pillow'),
    dict(type='PackInputs', meta_keys=['image_id', 'domain']),
]
test_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    collate_fn=dict(type='default_collate'),  # mmpretrain's preprocessor wants a batched tensor
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='visft_mm.NoCapsImages',
        _scope_='mmpretrain',
        data_root='data/nocaps',
        data_prefix=dict(img_path='images/val'),
        ann_file='nocaps_val_4500_captions.json',
        pipeline=nocaps_test_pipeline))
test_evaluator = dict(type='NoCapsCaptionMetric', ann_file='data/nocaps/nocaps_val_4500_captions.json',
                      prefix='nocaps')
test_cfg = dict(type='TestLoop')
