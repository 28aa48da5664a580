# Table 4: the GOI linear probe on [CLS] (M3IT coco-goi, mmpretrain) trained and tested per backbone / LoRA.
#   python tools/visft_benchmark.py configs/benchmarks/goi_eva_g.py
_base_ = ['../_base_/benchmarks/eva_g.py']
benchmarks = dict(goi=dict(config='configs/probes/goi/linear_eva_g.py', train=True))
tables = ['configs/benchmarks/paper/table4_goi.py']
work_dir = 'work_dirs/benchmarks/goi_eva_g'
