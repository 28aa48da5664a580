# SigLIP So400m/14 (open_clip's ViT-SO400M-14-SigLIP 'webli')
# and the stage-2 checkpoints of configs/visft/stage2_joint_siglip_so400m.py.
_base_ = ['../constants.py']
arch = 'siglip-so400m'
# the vision trunk, and for zero-shot the projection + text tower
eva_checkpoint = _base_.siglip_so400m_checkpoint
loras = {'0k': None, '5k': 'work_dirs/stage2_joint_siglip_so400m/iter_5000.pth',
         '50k': 'work_dirs/stage2_joint_siglip_so400m/iter_50000.pth'}
