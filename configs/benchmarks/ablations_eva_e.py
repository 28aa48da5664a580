# The paper's ablations (Tables 9-12): zero-shot COCO retrieval and ImageNet-1K with EVA-CLIP-E, for the LoRA of
# each ablation's stage-2 run after 5k iterations (configs/visft/stage2_joint.py = the default row of every table,
# configs/visft/ablations/*.py the others).  Train the runs you want, then e.g.
#   python tools/visft_benchmark.py configs/benchmarks/ablations_eva_e.py --only-loras default r8 r16 r32
# The report puts each table's rows beside the paper's numbers (configs/benchmarks/paper/table{9,10,11,12}_*.py).
_base_ = ['../_base_/benchmarks/eva_e.py']
_runs = dict(default='stage2_joint', r8='stage2_lora_r8', r16='stage2_lora_r16', r32='stage2_lora_r32',
             data25='stage2_data_25pct', data50='stage2_data_50pct', head_lr_x0_1='stage2_head_lr_x0.1',
             head_lr_x1='stage2_head_lr_x1', with_pose='stage2_with_pose', panoptic='stage2_panoptic',
             without_detection='stage2_without_detection', without_segmentation='stage2_without_segmentation',
             without_caption='stage2_without_caption')
loras = dict({label: f'work_dirs/{run}/iter_5000.pth' for label, run in _runs.items()}, _delete_=True)
benchmarks = dict(zero_shot_imagenet1k=dict(config='configs/zero_shot/eva_e_imagenet1k.py'),
                  retrieval_coco=dict(config='configs/zero_shot/eva_e_retrieval_coco.py'))
tables = ['configs/benchmarks/paper/table9_lora_rank.py', 'configs/benchmarks/paper/table10_data_size.py',
          'configs/benchmarks/paper/table11_head_lr.py', 'configs/benchmarks/paper/table12_task_selection.py']
work_dir = 'work_dirs/benchmarks/ablations_eva_e'
