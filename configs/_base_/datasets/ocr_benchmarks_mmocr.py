# The same benchmarks as prepared by mmocr's dataset_zoo (python tools/dataset_converters/prepare_dataset.py
# iiit5k svt icdar2013 icdar2015 svtp cute80 --task textrecog, in mmocr's repository): mmocr's OCRDataset on
# data/<name>/textrecog_test*.json.  IC03 is not in mmocr's zoo, so its two versions come from the clovaai LMDBs.
# Same sets, order, evaluator and metric keys as ocr_benchmarks_lmdb.py.
_base_ = ['./ocr_benchmarks_lmdb.py']
ocr_eval_root = 'data/data_lmdb_release/evaluation/'
benchmark_sets = ['IIIT5k_3000', 'SVT', 'IC03_860', 'IC03_867', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077',
                  'SVTP', 'CUTE80']
mmocr_sets = dict(
    IIIT5k_3000=('data/iiit5k/', 'textrecog_test.json'),
    SVT=('data/svt/', 'textrecog_test.json'),
    IC13_857=('data/icdar2013/', 'textrecog_test_857.json'),
    IC13_1015=('data/icdar2013/', 'textrecog_test.json'),
    IC15_1811=('data/icdar2015/', 'textrecog_test_1811.json'),
    IC15_2077=('data/icdar2015/', 'textrecog_test.json'),
    SVTP=('data/svtp/', 'textrecog_test.json'),
    CUTE80=('data/cute80/', 'textrecog_test.json'))
lmdb_pipeline = {{_base_.test_pipeline}}
file_pipeline = [
    dict(type='mmocr.LoadImageFromFile'),
    dict(type='mmocr.LoadOCRAnnotations', with_text=True),
    dict(type='mmocr.Resize', scale=(224, 224), keep_ratio=False, interpolation='bicubic'),
    dict(type='mmocr.PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmocr.ConcatDataset',
        verify_meta=False,  # the JSON sets carry mmocr's metainfo, the LMDBs none
        datasets=[
            dict(type='mmocr.OCRDataset', data_root=mmocr_sets[name][0], ann_file=mmocr_sets[name][1],
                 test_mode=True, pipeline=file_pipeline) if name in mmocr_sets else
            dict(type='ClovaaiLMDBDataset', ann_file=ocr_eval_root + name, test_mode=True, pipeline=lmdb_pipeline)
            for name in benchmark_sets
        ]))
