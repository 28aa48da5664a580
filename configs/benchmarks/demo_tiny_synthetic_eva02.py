# demo_tiny_synthetic.py's out-of-domain half on the tiny EVA02-CLIP-L-shaped CLIP: OCR and GOI probes, zero-shot
# shapes and retrieval, for the frozen tower and the LoRA of stage2_joint_eva02_tiny_synthetic.py (add it to loras).
arch = 'eva02-tiny'
# written by `python -m visft_mm.testing.clip_families data/synthetic/checkpoints` (a random tiny open_clip
# EVA02-CLIP-L-shaped CLIP: CLIPViT eva02-tiny + its text tower)
eva_checkpoint = 'data/synthetic/checkpoints/tiny_eva02_open_clip.pt'
loras = {'0k': None}
benchmarks = dict(
    ocr=dict(config='configs/probes/ocr/vitstr_eva02_tiny_synthetic.py', train=True,
             cfg_options={'train_cfg.max_iters': 120, 'train_cfg.val_interval': 120,
                          'default_hooks.checkpoint.interval': 120}),
    goi=dict(config='configs/probes/goi/linear_eva02_tiny_synthetic.py', train=True,
             cfg_options={'train_cfg.max_epochs': 10, 'train_cfg.val_interval': 10,
                          'default_hooks.checkpoint.interval': 10}),
    zero_shot_shapes=dict(config='configs/zero_shot/eva02_tiny_synthetic_shapes.py'),
    retrieval=dict(config='configs/zero_shot/eva02_tiny_synthetic_retrieval.py'))
tables = ['configs/benchmarks/paper/demo_tiny_synthetic.py']
work_dir = 'work_dirs/demo/benchmarks_eva02'
