# Zero-shot evaluation only: nothing trains, so no checkpoint hooks.  Every weight comes from init_cfg (the
# converted LAVIS BLIP-2 file, EVA-CLIP + the ViSFT LoRA for the vision tower) and the local OPT folder.
default_scope = 'visft_mm'
default_hooks = dict(timer=dict(type='IterTimerHook'), logger=dict(type='LoggerHook', interval=50))
env_cfg = dict(cudnn_benchmark=False, mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
test_cfg = dict(type='TestLoop')
