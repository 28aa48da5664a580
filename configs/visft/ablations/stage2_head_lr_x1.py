# Ablation (paper): the heads train at the LoRA lr.
_base_ = ['./stage2_head_lr_x0.1.py']
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={'heads.': dict(lr_mult=1.0)}))
