# The scene-text benchmarks as the clovaai evaluation LMDBs (data_lmdb_release/evaluation/<name>), all labels kept
# (ViTSTR tests with --data_filtering_off) and scored as ViTSTR does: lower case, alphanumerics only
# (mmocr WordMetric 'ignore_case_symbol'; 'exact' and 'ignore_case' are reported too).
# Metric keys: '<set>/recog/word_acc_ignore_case_symbol' per set, and two averages of each key:
#   'total/recog/...'  weighted by word count over the 10 sets (ViTSTR's / clovaai's total accuracy),
#   'paper6/recog/...' plain mean over ViSFT's six sets IC03, IC13, IC15, SVTP, SVT, IIIT
#                      (taken as the IC03_860, IC13_857, IC15_1811 versions; the paper does not say which).
ocr_eval_root = 'data/data_lmdb_release/evaluation/'
benchmark_sets = ['IIIT5k_3000', 'SVT', 'IC03_860', 'IC03_867', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077',
                  'SVTP', 'CUTE80']
paper_sets = ['IC03_860', 'IC13_857', 'IC15_1811', 'SVTP', 'SVT', 'IIIT5k_3000']
# ViTSTR's test.py (--sensitive --data_filtering_off): lower case, then drops every character outside [0-9a-z];
# mmocr's default valid_symbol would keep '^' and CJK characters.
vitstr_symbols = '[^0-9a-z]'
test_pipeline = [
    dict(type='mmocr.LoadImageFromNDArray'),
    dict(type='mmocr.LoadOCRAnnotations', with_text=True),
    dict(type='mmocr.Resize', scale=(224, 224), keep_ratio=False, interpolation='bicubic'),
    dict(type='mmocr.PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='mmocr.ConcatDataset',
        datasets=[
            dict(type='ClovaaiLMDBDataset', ann_file=ocr_eval_root + name, test_mode=True, pipeline=test_pipeline)
            for name in benchmark_sets
        ]))
test_evaluator = dict(
    type='MultiDatasetsAverageEvaluator',
    metrics=[dict(type='mmocr.WordMetric', mode=['exact', 'ignore_case', 'ignore_case_symbol'],
                  valid_symbol=vitstr_symbols),
             # char recall / precision: what a barely trained probe shows
             dict(type='mmocr.CharMetric', valid_symbol=vitstr_symbols)],
    dataset_prefixes=benchmark_sets,
    averages=dict(total=dict(weighted=True), paper6=dict(datasets=paper_sets, weighted=False)))
