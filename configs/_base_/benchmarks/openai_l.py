# OpenAI CLIP ViT-L/14 (open_clip's ViT-L-14 'openai')
# and the stage-2 checkpoints of configs/visft/stage2_joint_openai_l.py.
_base_ = ['../constants.py']
arch = 'openai-l'
# the vision trunk, and for zero-shot the projection + text tower
eva_checkpoint = _base_.openai_l_checkpoint
loras = {'0k': None, '5k': 'work_dirs/stage2_joint_openai_l/iter_5000.pth',
         '50k': 'work_dirs/stage2_joint_openai_l/iter_50000.pth'}
