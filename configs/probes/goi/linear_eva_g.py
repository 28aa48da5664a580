# Table 4: linear probe of the [CLS] token on M3IT coco-goi, EVA-ViT-G (frozen; a ViSFT LoRA merged with --lora).
#   python tools/train.py configs/probes/goi/linear_eva_g.py [--lora LORA]
#   python tools/test.py configs/probes/goi/linear_eva_g.py work_dirs/linear_eva_g/epoch_30.pth [--lora LORA]
# Metrics: accuracy/top1, accuracy/top5 (mmpretrain Accuracy).  Checkpoints hold only the head (and the class list
# in meta['dataset_meta']); the backbone comes from init_cfg every time.
_base_ = [
    '../../_base_/models/eva_vit_g.py', '../../_base_/datasets/m3it_coco_goi.py',
    '../../_base_/schedules/linear_probe_30e.py', '../../_base_/default_runtime.py'
]
num_classes = 80  # COCO's categories (classes.txt)
model = dict(
    _scope_='mmpretrain',  # ImageClassifier, its head, loss and data preprocessor are mmpretrain's
    type='ImageClassifier',
    # CLIP normalisation (the backbone's pretraining statistics), RGB
    data_preprocessor=dict(type='ClsDataPreprocessor', mean=_base_.clip_mean, std=_base_.clip_std, to_rgb=True),
    backbone=dict(img_size=224, out_type='cls_token'),  # (B, C) after the final LayerNorm, as EVA-CLIP has it
    neck=None,  # the CLS token is already a vector
    head=dict(
        type='LinearClsHead',
        num_classes=num_classes,
        in_channels=1408,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(by_epoch=True, interval=5, max_keep_ckpts=2))  # Table 4 reports the last epoch's head
log_processor = dict(by_epoch=True)
# head-only checkpoints; the class list they record (meta.dataset_meta) must be the evaluated dataset's
custom_hooks = _base_.custom_hooks + [dict(type='ClassListCheckHook')]
