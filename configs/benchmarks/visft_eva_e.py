# Every out-of-domain benchmark the paper runs on EVA-ViT-E: GOI (Table 4), zero-shot classification and retrieval
# with the EVA-CLIP-E text tower (Tables 5, 6), for the frozen backbone and each stage-2 checkpoint.  The LoRA-rank,
# data-size, head-lr and task ablations (Tables 9-12) are read on these metrics: point `loras` at the ablation runs,
# e.g. --cfg-options loras.r8=work_dirs/stage2_lora_r8/iter_5000.pth
#   python tools/visft_benchmark.py configs/benchmarks/visft_eva_e.py [--gpus 8]
_base_ = ['./zero_shot_eva_e.py']
benchmarks = dict(goi=dict(config='configs/probes/goi/linear_eva_e.py', train=True))
tables = ['configs/benchmarks/paper/table4_goi.py', 'configs/benchmarks/paper/table5_zero_shot.py',
          'configs/benchmarks/paper/table6_retrieval.py']
work_dir = 'work_dirs/benchmarks/visft_eva_e'
