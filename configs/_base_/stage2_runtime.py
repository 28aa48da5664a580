# Runtime of stage 2: checkpoints (LoRA + optimizer + loop state; TrainableCheckpointHook leaves the frozen weights
# out) every 5k iterations, all kept: the 5k one is the paper's default ViSFT model.
_base_ = ['./default_runtime.py']
default_hooks = dict(checkpoint=dict(interval=5000, max_keep_ckpts=-1))
