# Ablation (paper): LoRA rank 8 instead of 64 (alpha stays 1: scaling 1/8).
_base_ = ['../stage2_joint.py']
model = dict(backbone=dict(lora=dict(r=8)))
