# Stage 1 detection on the bundled synthetic shapes with a small EVA-ViT (frozen): a CPU-sized run.
#   python tools/dataset_converters/make_synthetic_data.py data/synthetic
#   python tools/train.py configs/visft/demo/stage1_detr_tiny_synthetic.py
# The stage-1 model and data bases with the CPU schedule in place of the 150k / 100k one.
_base_ = [
    '../../_base_/models/single_level_detr.py', '../../_base_/datasets/coco_detection.py',
    '../../_base_/schedules/demo_cpu.py', '../../_base_/det_runtime.py'
]
data_root = 'data/synthetic/coco/'
# a small EVA-ViT in the EVA-CLIP layout, written by make_synthetic_data.py (stands in for EVA-CLIP)
eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'
metainfo = dict(classes=('circle', 'square', 'triangle', 'star'))
model = dict(
    backbone=dict(arch='tiny', init_cfg=dict(checkpoint=eva_checkpoint)),
    neck=dict(in_channels=[192]),
    encoder=dict(num_layers=2),
    decoder=dict(num_layers=2),
    num_queries=20,
    bbox_head=dict(num_classes=4),
    test_cfg=dict(max_per_img=20))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Resize', scale=(224, 224), keep_ratio=True),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(224, 224), keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=metainfo, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=metainfo, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val2017.json')
test_evaluator = val_evaluator
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=200))  # = max_iters
