# Runtime of the evaluation-only configs (zero-shot CLIP, BLIP-2): nothing trains, so no checkpoint, optimizer or
# reliability hooks, and no checkpoint is loaded: every weight comes from init_cfg (the EVA-CLIP file of the
# backbone's EVAPretrained, + the ViSFT LoRA of its `lora`: `tools/test.py CONFIG --lora LORA`; for BLIP-2 also the
# converted LAVIS file and the local OPT folder).  The test loop is the dataset base's (test_cfg).
default_scope = 'visft_mm'
default_hooks = dict(timer=dict(type='IterTimerHook'), logger=dict(type='LoggerHook', interval=50),
                     init_weights=dict(type='InitWeightsHook'))  # every weight from init_cfg before testing
env_cfg = dict(cudnn_benchmark=False, mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='mmengine.Visualizer', vis_backends=vis_backends)
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
