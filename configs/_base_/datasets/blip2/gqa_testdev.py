# GQA test-dev balanced (12,578 questions): the official testdev_balanced_questions.json or LAVIS's list copy.
gqa_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(224, 224), interpolation='bicubic', backend='pillow'),
    dict(type='CleanCaption', keys=['question'], remove_chars='.!"()*#:;~', remove_dup_space=False),
    dict(type='PackInputs', algorithm_keys=['question', 'gt_answer'], meta_keys=['question_id']),
]
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    collate_fn=dict(type='default_collate'),  # mmpretrain's preprocessor wants a batched tensor
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='visft_mm.GQABalanced',
        _scope_='mmpretrain',
        data_root='data/gqa',
        data_prefix='images',
        ann_file='testdev_balanced_questions.json',
        pipeline=gqa_test_pipeline))
test_evaluator = dict(type='GQAExactMatch', prefix='GQA')
test_cfg = dict(type='TestLoop')
