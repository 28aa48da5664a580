# Stage 1 captioning (reference): AdamW lr 4e-4, linear warm-up for 2000 iterations then cosine, 100k iterations at
# batch 32 per GPU.
max_iters = 100000
warmup_iters = 2000
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=4e-4, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters, end=max_iters, eta_min=0.0)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
