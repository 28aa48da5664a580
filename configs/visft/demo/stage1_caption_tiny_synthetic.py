# Stage 1 captioning on the bundled synthetic shapes with a small EVA-ViT (frozen): a CPU-sized run.
#   python tools/dataset_converters/build_caption_vocab.py data/synthetic/coco/annotations/dataset_coco.json \
#       data/synthetic/coco/annotations/caption_vocab.json
#   python tools/train.py configs/visft/demo/stage1_caption_tiny_synthetic.py
# The stage-1 model and data bases with the CPU schedule in place of the 150k / 100k one.
_base_ = [
    '../../_base_/models/lstm_captioner.py', '../../_base_/datasets/coco_caption.py',
    '../../_base_/schedules/demo_cpu.py', '../../_base_/default_runtime.py'
]
data_root = 'data/synthetic/coco/'
# a small EVA-ViT in the EVA-CLIP layout, written by make_synthetic_data.py (stands in for EVA-CLIP)
eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'
vocab_file = data_root + 'annotations/caption_vocab.json'
model = dict(backbone=dict(arch='tiny', init_cfg=dict(checkpoint=eva_checkpoint)), vocab_file=vocab_file, pool_size=8)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['gt_caption', 'gt_tokens'], meta_keys=['image_id'])
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['gt_caption'], meta_keys=['image_id'])
]
train_dataloader = dict(
    batch_size=16, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, vocab_file=vocab_file, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, vocab_file=vocab_file, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/dataset_coco.json')
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=2e-3, weight_decay=0.0), clip_grad=None)  # caption setting: no clip
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=200))  # = max_iters
