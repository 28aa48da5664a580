# M3IT coco-goi (grounded object identification) read from the published jsonl files:
#   data/M3IT/data/classification/coco-goi/{train,val}.jsonl, instructions.json (the M3IT dataset repository)
# classes.txt (COCO's 80 names, from the data):
#   python tools/dataset_converters/m3it_goi_classes.py data/M3IT/data/classification/coco-goi/train.jsonl
# Input: the whole image resized to 224 x 224 (no crop: a crop could cut the marked region off), horizontal flip
# in training.  Normalisation (CLIP's, RGB) is the model's: see configs/probes/goi/linear_eva_g.py.
data_root = 'data/M3IT/data/classification/coco-goi/'
classes_file = data_root + 'classes.txt'
img_size = 224
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
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='M3ITGOIDataset', data_root=data_root, ann_file='train.jsonl', classes=classes_file,
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='M3ITGOIDataset', data_root=data_root, ann_file='val.jsonl', classes=classes_file,
                 test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
# metric keys: accuracy/top1, accuracy/top5
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
