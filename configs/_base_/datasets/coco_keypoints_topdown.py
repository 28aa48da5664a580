# COCO person keypoints, top-down with the ground-truth person boxes (no detector's box file: the metric prefix
# says so), read by mmpose's own dataset, transforms and metric (built in mmpose's scope: _scope_).
data_root = 'data/coco/'
codec = dict(type='mmpose.UDPHeatmap', input_size=(168, 224), heatmap_size=(48, 64), sigma=2)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(
    batch_size=8,  # person crops per GPU (ViTPose: 64; the other heads' stage 1: 1 image)
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='mmpose.CocoDataset',
        _scope_='mmpose',
        data_root=data_root,
        data_mode='topdown',
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='mmpose.CocoDataset',
        _scope_='mmpose',
        data_root=data_root,
        data_mode='topdown',
        ann_file='annotations/person_keypoints_val2017.json',
        bbox_file=None,  # ground-truth boxes
        data_prefix=dict(img='val2017/'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='mmpose.CocoMetric', ann_file=data_root + 'annotations/person_keypoints_val2017.json',
                     prefix='coco_gt_bbox')
test_evaluator = val_evaluator
