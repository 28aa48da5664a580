# ViTSTR's recipe (clovaai train.py defaults): Adadelta lr 1.0, rho 0.95, eps 1e-8, constant lr, gradient norm
# clipped at 5, batch 192, 300k iterations; validation every 2000 iterations.
max_iters = 300000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adadelta', lr=1.0, rho=0.95, eps=1e-8, weight_decay=0.0),
    clip_grad=dict(max_norm=5, norm_type=2))
param_scheduler = []
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=2000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
randomness = dict(seed=1111)  # clovaai's default --manualSeed
