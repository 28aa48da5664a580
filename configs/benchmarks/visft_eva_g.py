# Every out-of-domain benchmark the paper runs on EVA-ViT-g: OCR (Table 3), GOI (Table 4), BLIP-2 VQA / NoCaps /
# retrieval (Tables 6-8), for the frozen backbone and each stage-2 checkpoint.
#   python tools/visft_benchmark.py configs/benchmarks/visft_eva_g.py [--gpus 8]
_base_ = ['./blip2_eva_g.py']
benchmarks = dict(ocr=dict(config='configs/probes/ocr/vitstr_eva_g.py', train=True),
                  goi=dict(config='configs/probes/goi/linear_eva_g.py', train=True))
tables = ['configs/benchmarks/paper/table3_ocr.py', 'configs/benchmarks/paper/table4_goi.py',
          'configs/benchmarks/paper/table7_blip2_vqa.py', 'configs/benchmarks/paper/table8_nocaps.py',
          'configs/benchmarks/paper/table6_blip2_retrieval.py']
work_dir = 'work_dirs/benchmarks/visft_eva_g'
