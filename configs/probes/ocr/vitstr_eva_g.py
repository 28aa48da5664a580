# OCR probe of ViSFT Table 3 on EVA-ViT-g: ViTSTR-style head trained on MJSynth + SynthText (clovaai LMDBs) with
# the backbone frozen, tested on the 10 clovaai evaluation LMDBs.  The backbone is EVA-CLIP-g ("0k" row), or
# EVA-CLIP-g with a ViSFT LoRA merged in:
#   python tools/train.py configs/probes/ocr/vitstr_eva_g.py [--lora LORA]
#   python tools/test.py configs/probes/ocr/vitstr_eva_g.py work_dirs/vitstr_eva_g/iter_300000.pth [--lora LORA]
# (a probe is trained per backbone: the LoRA given to test.py must be the one the probe was trained on).
# mmocr dataset_zoo JSON for the test sets instead: replace ocr_benchmarks_lmdb.py by ocr_benchmarks_mmocr.py.
_base_ = [
    '../../_base_/models/ocr_vitstr_probe.py', '../../_base_/datasets/ocr_mjsynth_synthtext_lmdb.py',
    '../../_base_/datasets/ocr_benchmarks_lmdb.py', '../../_base_/schedules/ocr_adadelta_300k.py',
    '../../_base_/default_runtime.py'
]
# ViTSTR keeps the checkpoint of best validation accuracy; the last one is kept too.
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=10000, max_keep_ckpts=1, save_best='recog/word_acc_ignore_case_symbol', rule='greater'))
