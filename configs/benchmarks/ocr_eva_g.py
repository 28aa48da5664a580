# Table 3: the OCR probe (ViTSTR-style, mmocr) trained and tested on the frozen EVA-ViT-g and on each ViSFT LoRA.
#   python tools/visft_benchmark.py configs/benchmarks/ocr_eva_g.py [--only-loras 0k 5k]
_base_ = ['../_base_/benchmarks/eva_g.py']
benchmarks = dict(ocr=dict(config='configs/probes/ocr/vitstr_eva_g.py', train=True))
tables = ['configs/benchmarks/paper/table3_ocr.py']
work_dir = 'work_dirs/benchmarks/ocr_eva_g'
