# Stage 1 pose on the synthetic COCO person-keypoints set (visft_mm.testing.synthetic_pose) with a small EVA-ViT
# (frozen): a CPU-sized run.  84x112 crops = a 6x8 token grid, heatmaps 24x32.
#   python tools/train.py configs/visft/demo/stage1_pose_tiny_synthetic.py
_base_ = [
    '../../_base_/models/vitpose_simple.py', '../../_base_/datasets/coco_keypoints_topdown.py',
    '../../_base_/schedules/demo_cpu.py', '../../_base_/default_runtime.py'
]
data_root = 'data/synthetic/coco_pose/'
eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'
codec = dict(type='mmpose.UDPHeatmap', input_size=(84, 112), heatmap_size=(24, 32), sigma=2)
model = dict(backbone=dict(arch='tiny', init_cfg=dict(checkpoint=eva_checkpoint)),
             head=dict(in_channels=192, decoder=codec))
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
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
train_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/person_keypoints_val2017.json')
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=2e-3), clip_grad=None)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=200))  # = max_iters
