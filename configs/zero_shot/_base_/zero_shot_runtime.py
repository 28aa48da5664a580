# Evaluation only: nothing trains, no checkpoint is loaded: every weight comes from the EVA-CLIP file of the
# backbone's EVAPretrained init_cfg, the ViSFT LoRA from its `lora` (`tools/test.py CONFIG --lora LORA`).
default_scope = 'visft_mm'
default_hooks = dict(timer=dict(type='IterTimerHook'), logger=dict(type='LoggerHook', interval=50))
env_cfg = dict(cudnn_benchmark=False, mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='mmengine.Visualizer', vis_backends=vis_backends)
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
