# Linear probe schedule (the paper gives only "30 epochs"): the MoCo v3 / MAE linear-probing recipe without LARS
# (which they need for 16k batches): SGD momentum 0.9, no weight decay, lr 0.1 per 256 images (linear scaling
# through auto_scale_lr), 1 warm-up epoch then cosine to 0.  SGD because the loss is convex in the head's weights
# and the features are LayerNorm outputs of fixed scale, where plain SGD is the standard probe optimiser.
max_epochs = 30
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=1, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=1, end=max_epochs, eta_min=0.0, convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(base_batch_size=256)
randomness = dict(seed=0)
