# The demo's out-of-domain half (tools/demo.py runs it after stage 2): the probes and zero-shot sets on synthetic
# data, for the mini CLIP before (frozen) and after ViSFT (its stage-2 LoRA merged).  tools/demo.py fills in the
# stage-2 checkpoint; the probes are shortened to CPU size here.  The trained probes are seeded (tools/demo.py
# sets randomness.seed to its --seed).
arch = 'tiny'
eva_checkpoint = 'data/synthetic/checkpoints/tiny_clip_eva_clip.pt'  # the mini CLIP (tools/demo.py pretrains it)
loras = {'0k': None}  # + the demo's stage-2 checkpoint
benchmarks = dict(
    ocr=dict(config='configs/probes/ocr/vitstr_tiny_synthetic.py', train=True,
             cfg_options={'train_cfg.max_iters': 120, 'train_cfg.val_interval': 120,
                          'default_hooks.checkpoint.interval': 120}),
    goi=dict(config='configs/probes/goi/linear_tiny_synthetic.py', train=True,
             cfg_options={'train_cfg.max_epochs': 10, 'train_cfg.val_interval': 10,
                          'default_hooks.checkpoint.interval': 10}),
    goi_shape=dict(config='configs/probes/goi/linear_tiny_synthetic_shape.py', train=True,
                   cfg_options={'train_cfg.max_epochs': 10, 'train_cfg.val_interval': 10,
                                'default_hooks.checkpoint.interval': 10}),
    zero_shot_colours=dict(config='configs/zero_shot/tiny_synthetic_colours.py'),
    zero_shot_shapes=dict(config='configs/zero_shot/tiny_synthetic_shapes.py'),
    retrieval=dict(config='configs/zero_shot/tiny_synthetic_retrieval.py'))
tables = ['configs/benchmarks/paper/demo_tiny_synthetic.py']
work_dir = 'work_dirs/demo/benchmarks'
