# Stage 2 on the bundled synthetic shapes with a small EVA-ViT: LoRA (r=64, alpha=1 on q, v) trained through the
# three frozen heads of the stage-1 demo configs, 600 iterations on CPU.  After those three runs:
#   python tools/train.py configs/visft/demo/stage2_joint_tiny_synthetic.py
# (tools/demo.py runs the whole chain.)  Task probabilities and per-task batches are the paper's.
_base_ = ['../../_base_/models/visft.py', '../../_base_/schedules/stage2_50k.py', '../../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

# backbone, heads (weights: work_dirs/stage1_*_tiny_synthetic/iter_200.pth), dataloaders and metrics of stage 1
model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_tiny_synthetic.py',
    detection='{{ fileDirname }}/stage1_detr_tiny_synthetic.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_tiny_synthetic.py', batch_size=_base_.stage2_batch_size)

# CPU-sized schedule: a far higher lr than the paper's 1e-5 so that 400 iterations move the LoRA (scaled by
# alpha / r = 1/64, as the paper's) enough to show in the metrics.
max_iters = 400
optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=20),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=20, end=max_iters, eta_min=0.0)
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters, val_before_train=True)  # before = frozen backbone
randomness = dict(seed=0)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=100))
