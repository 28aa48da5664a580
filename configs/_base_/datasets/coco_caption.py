# COCO captions, Karpathy split (train + restval for training, test for evaluation); images resized to 256x256
# (reference setting).  The COCO-2014 images of the split are looked up in the 2017 folders.
data_root = 'data/coco/'
ann_file = 'annotations/dataset_coco.json'
vocab_file = data_root + 'annotations/caption_vocab.json'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['gt_caption', 'gt_tokens'], meta_keys=['image_id'])
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=False),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['gt_caption'], meta_keys=['image_id'])
]
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='CocoCaptionDataset', data_root=data_root, ann_file=ann_file, vocab_file=vocab_file,
                 splits=['train', 'restval'], image_dirs=['train2017', 'val2017'], max_length=20,
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='CocoCaptionDataset', data_root=data_root, ann_file=ann_file, vocab_file=vocab_file,
                 splits=['test'], image_dirs=['train2017', 'val2017'], test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='CocoCaptionMetric', ann_file=data_root + ann_file, splits=['test'])
test_evaluator = val_evaluator
