# Ablation (paper): stage 2 on a seeded random 50% of each task's training images.
_base_ = ['./stage2_data_25pct.py']
train_dataloader = dict(
    caption=dict(dataset=dict(fraction=0.5)),
    detection=dict(dataset=dict(fraction=0.5)),
    segmentation=dict(dataset=dict(fraction=0.5)))
