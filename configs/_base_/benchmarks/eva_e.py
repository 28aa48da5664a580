# EVA-ViT-E (EVA02-CLIP-E/14-plus, the s9B file the released E LoRA was trained on) and the stage-2 checkpoints of
# configs/visft/stage2_joint.py the paper compares.
_base_ = ['../constants.py']
arch = 'eva-e'
eva_checkpoint = _base_.eva_e_checkpoint  # vision trunk, and for zero-shot the head + text tower
loras = {'0k': None, '5k': 'work_dirs/stage2_joint/iter_5000.pth', '50k': 'work_dirs/stage2_joint/iter_50000.pth'}
