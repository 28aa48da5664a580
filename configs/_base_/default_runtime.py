# Runtime of visft_mm's training configs: the reliability hooks are on (named default hooks, so a config or
# --cfg-options changes one by name, e.g. default_hooks.non_finite.on_non_finite=skip).  A config of another
# OpenMMLab project gets the same hooks with one line: _base_ = [..., 'visft_mm::_base_/visft_runtime.py'].
default_scope = 'visft_mm'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # checkpoint file and last_checkpoint written atomically; old ones deleted only after the new one is complete
    checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False, interval=10000, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # load_from / resume: weights_only (URLs downloaded first), torn newest checkpoint -> newest readable one,
    # tensors of other shapes (e.g. a LoRA of another rank) refused
    safe_load=dict(type='SafeCheckpointLoadHook'),
    # nan/inf: on_non_finite='stop' (default) stops naming iteration and task; 'skip' drops the update and counts
    non_finite=dict(type='NonFiniteGuardHook', on_non_finite='stop'),
    # test() / val() / load_from: the model is initialised from init_cfg first (mmengine does it in train() only)
    init_weights=dict(type='InitWeightsHook'))
# Checkpoints hold only what trains (heads in stage 1, LoRA in stage 2); the frozen EVA-CLIP weights come from
# the backbone's init_cfg when the model is built again.
custom_hooks = [dict(type='TrainableCheckpointHook'),
                # on_unreadable_image='skip': the total of skipped images over all workers and ranks, logged
                dict(type='UnreadableImageCountHook')]
env_cfg = dict(cudnn_benchmark=False, mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
# Scalars and images go to <work_dir>/<timestamp>/vis_data.  TensorBoard as well, one line in any config:
#   visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')])
# (then: tensorboard --logdir <work_dir>).
visualizer = dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
