# The OCR probe on the bundled synthetic text (clovaai-layout LMDBs under the real set names) with a small frozen
# EVA-ViT: a CPU-sized run of the whole pipeline (readers, 50/50 MJ/ST batches, probe, per-set and average
# metrics).  Scaled down from vitstr_eva_g.py: 112x112 input (65 tokens >= max_seq_len + 1), a 128-wide encoder,
# batch 32, 300 iterations with AdamW (lr 1e-3: ViTSTR's Adadelta barely moves in 300 iterations).  The backbone
# is random (a synthetic EVA-CLIP-layout file), so accuracies show that the probe trains, not what EVA-CLIP gives.
#   python tools/dataset_converters/make_synthetic_data.py data/synthetic
#   python tools/train.py configs/probes/ocr/vitstr_tiny_synthetic.py
#   python tools/test.py configs/probes/ocr/vitstr_tiny_synthetic.py \
#       work_dirs/vitstr_tiny_synthetic/iter_300.pth
_base_ = ['./vitstr_eva_g.py']
lmdb_root = 'data/synthetic/textrecog_lmdb/'
# a small EVA-ViT in the EVA-CLIP layout, written by make_synthetic_data.py (stands in for EVA-CLIP)
eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'
dict_file = '{{ fileDirname }}/dicts/printable94.txt'
image_size = (112, 112)
batch_size = 32
max_iters = 300
model = dict(
    backbone=dict(arch='tiny', init_cfg=dict(checkpoint=eva_checkpoint)),
    encoder=dict(in_channels=192, d_model=128, n_head=4, d_inner=512),
    decoder=dict(in_channels=128))
pipeline = [
    dict(type='mmocr.LoadImageFromNDArray'),
    dict(type='mmocr.LoadOCRAnnotations', with_text=True),
    dict(type='mmocr.Resize', scale=image_size, keep_ratio=False, interpolation='bicubic'),
    dict(type='mmocr.PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
train_lmdb = dict(type='ClovaaiLMDBDataset', dict_file=dict_file, max_label_length=25, pipeline=pipeline)
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(batch_size=batch_size),
    dataset=dict(datasets=[
        dict(type='mmocr.ConcatDataset', datasets=[
            dict(train_lmdb, ann_file=lmdb_root + 'training/MJ/' + part) for part in ('MJ_train', 'MJ_valid', 'MJ_test')
        ]),
        dict(train_lmdb, ann_file=lmdb_root + 'training/ST'),
    ]))
val_dataloader = dict(
    batch_size=batch_size, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file=lmdb_root + 'validation', pipeline=pipeline))
test_dataloader = dict(
    batch_size=batch_size, num_workers=0, persistent_workers=False,
    dataset=dict(datasets=[
        dict(type='ClovaaiLMDBDataset', ann_file=lmdb_root + 'evaluation/' + name, test_mode=True, pipeline=pipeline)
        for name in ('IIIT5k_3000', 'SVT', 'IC03_860', 'IC03_867', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077',
                     'SVTP', 'CUTE80')  # the order of test_evaluator.dataset_prefixes
    ]))
optim_wrapper = dict(optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.0))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(logger=dict(interval=20), checkpoint=dict(interval=max_iters))
