# The GOI linear probe on synthetic coco-goi data (16 colour-shape classes) with a small EVA-ViT: a CPU-sized run
# of the real pipeline (jsonl reader, base64 decoding, frozen CLS features, mmpretrain head and Accuracy).
#   python tools/dataset_converters/make_synthetic_data.py data/synthetic
#   python tools/train.py configs/probes/goi/linear_tiny_synthetic.py
#   python tools/test.py configs/probes/goi/linear_tiny_synthetic.py work_dirs/linear_tiny_synthetic/epoch_30.pth
_base_ = ['./linear_eva_g.py']
data_root = 'data/synthetic/m3it/coco-goi/'
img_size = 56  # 4 x 4 patches: the shapes stay distinguishable, and 30 epochs take about a minute on 2 cores
model = dict(
    backbone=dict(
        arch='tiny',
        # a small EVA-ViT in the EVA-CLIP layout, written by make_synthetic_data.py (stands in for EVA-CLIP)
        init_cfg=dict(checkpoint='data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt')),
    head=dict(num_classes=16, in_channels=192))
train_pipeline = [
    dict(type='LoadImageFromBase64'),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs')
]
test_pipeline = [
    dict(type='LoadImageFromBase64'),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='mmpretrain.PackInputs')
]
train_dataloader = dict(
    batch_size=32, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, classes=data_root + 'classes.txt', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, classes=data_root + 'classes.txt', pipeline=test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(val_interval=10)
auto_scale_lr = dict(enable=False)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
