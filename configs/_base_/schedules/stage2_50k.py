# Stage 2 (paper): AdamW lr 1e-5 on the LoRA only, linear warm-up for 2000 iterations then cosine, 50k iterations;
# each iteration draws one task (caption 0.4, detection 0.3, segmentation 0.3) with per-GPU batches of 8 / 1 / 1.
# Weight decay, eps and grad clip are stage 1's (the paper gives lr and schedule only).
max_iters = 50000
warmup_iters = 2000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-5, weight_decay=1e-4, eps=1e-8),
    clip_grad=dict(max_norm=0.1, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters, eta_min=0.0)
]
train_cfg = dict(type='TaskSamplingTrainLoop', task_probs=dict(caption=0.4, detection=0.3, segmentation=0.3),
                 max_iters=max_iters, val_interval=5000)
val_cfg = dict(type='MultiTaskValLoop')
test_cfg = dict(type='MultiTaskTestLoop')
# per-GPU batch of each task (stage2_from_stage1's batch_size=): the paper's 8 captions / 1 / 1 images
stage2_batch_size = dict(caption=8, detection=1, segmentation=1)
auto_scale_lr = dict(enable=False, base_batch_size=8)
