# Ablation (paper): the heads train too, at 0.1x the LoRA lr (the default, frozen heads, is x0).
_base_ = ['../stage2_joint.py']
model = dict(heads=dict(caption=dict(frozen=False), detection=dict(frozen=False), segmentation=dict(frozen=False)))
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'heads.': dict(lr_mult=0.1)}))
find_unused_parameters = True  # an iteration uses one head: the other two get no gradient
