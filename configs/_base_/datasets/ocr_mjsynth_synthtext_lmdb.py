# Training data of ViTSTR / clovaai: MJSynth + SynthText as the clovaai LMDB release
# (data_lmdb_release/training/{MJ/MJ_train, MJ/MJ_valid, MJ/MJ_test, ST}), each batch half MJ, half ST
# (ViTSTR's --select_data MJ-ST --batch_ratio 0.5-0.5): mmocr's ConcatDataset of the two sources and mmdet's
# MultiSourceSampler (source_ratio [1, 1]; its batch_size must equal the dataloader's).
# ViTSTR's data filter: labels with a character outside the dictionary or longer than 25 are skipped and counted
# (logged per LMDB).  Validation: the clovaai validation LMDB (union of the IC13 / IC15 / IIIT / SVT training sets).
ocr_lmdb_root = 'data/data_lmdb_release/'
train_dict_file = '{{ fileDirname }}/../../probes/ocr/dicts/printable94.txt'
train_pipeline = [
    dict(type='mmocr.LoadImageFromNDArray'),
    dict(type='mmocr.LoadOCRAnnotations', with_text=True),
    dict(type='mmocr.Resize', scale=(224, 224), keep_ratio=False, interpolation='bicubic'),
    dict(type='mmocr.PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
train_lmdb = dict(type='ClovaaiLMDBDataset', dict_file=train_dict_file, max_label_length=25, pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=192,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='mmdet.MultiSourceSampler', batch_size=192, source_ratio=[1, 1]),
    dataset=dict(
        type='mmocr.ConcatDataset',
        verify_meta=False,  # the MJ ConcatDataset's meta holds its cumulative sizes
        datasets=[
            dict(type='mmocr.ConcatDataset', datasets=[
                dict(train_lmdb, ann_file=ocr_lmdb_root + 'training/MJ/MJ_train'),
                dict(train_lmdb, ann_file=ocr_lmdb_root + 'training/MJ/MJ_valid'),
                dict(train_lmdb, ann_file=ocr_lmdb_root + 'training/MJ/MJ_test'),
            ]),
            dict(train_lmdb, ann_file=ocr_lmdb_root + 'training/ST'),
        ]))
val_dataloader = dict(
    batch_size=192,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ClovaaiLMDBDataset', ann_file=ocr_lmdb_root + 'validation', test_mode=True,
                 pipeline=train_pipeline))
val_evaluator = dict(type='mmocr.WordMetric', mode=['exact', 'ignore_case', 'ignore_case_symbol'],
                     valid_symbol='[^0-9a-z]')  # ViTSTR's comparison: lower case, [0-9a-z] only
