# Stage 1 panoptic segmentation on the synthetic COCO panoptic set (visft_mm.testing.synthetic_panoptic: 3 shapes
# over sky / ground) with a small EVA-ViT (frozen): a CPU-sized run.
#   python tools/train.py configs/visft/demo/stage1_mask2former_panoptic_tiny_synthetic.py
_base_ = [
    '../../_base_/models/single_level_mask2former_panoptic.py', '../../_base_/datasets/coco_panoptic_lsj.py',
    '../../_base_/schedules/demo_cpu.py', '../../_base_/det_runtime.py'
]
data_root = 'data/synthetic/coco_panoptic/'
eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'
metainfo = dict(classes=('circle', 'square', 'triangle', 'sky', 'ground'),
                thing_classes=('circle', 'square', 'triangle'), stuff_classes=('sky', 'ground'))
num_things, num_stuff = 3, 2
model = dict(
    backbone=dict(arch='tiny', init_cfg=dict(checkpoint=eva_checkpoint)),
    panoptic_head=dict(
        in_channels=[192],
        num_things_classes=num_things,
        num_stuff_classes=num_stuff,
        num_queries=20,
        pixel_decoder=dict(encoder=dict(num_layers=2)),
        transformer_decoder=dict(num_layers=3),
        loss_cls=dict(class_weight=[1.0] * (num_things + num_stuff) + [0.1])),
    panoptic_fusion_head=dict(num_things_classes=num_things, num_stuff_classes=num_stuff),
    train_cfg=dict(num_points=3136),
    test_cfg=dict(max_per_image=20))
image_size = (224, 224)
train_pipeline = [
    dict(type='LoadImageFromFile', to_float32=True),
    dict(type='LoadPanopticAnnotations', with_bbox=True, with_mask=True, with_seg=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandomResize', scale=image_size, ratio_range=(0.8, 1.25), resize_type='Resize', keep_ratio=True),
    dict(type='RandomCrop', crop_size=image_size, crop_type='absolute', recompute_bbox=True,
         allow_negative_crop=True),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', to_float32=True),
    dict(type='Resize', scale=image_size, keep_ratio=True),
    dict(type='LoadPanopticAnnotations'),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=metainfo, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=metainfo, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/panoptic_val2017.json',
                     seg_prefix=data_root + 'annotations/panoptic_val2017/', nproc=1)
test_evaluator = val_evaluator
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=200))  # = max_iters
