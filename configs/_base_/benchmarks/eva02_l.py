# EVA02-CLIP-L/14 (open_clip's EVA02-L-14 'merged2b_s4b_b131k')
# and the stage-2 checkpoints of configs/visft/stage2_joint_eva02_l.py.
_base_ = ['../constants.py']
arch = 'eva02-l'
# the vision trunk, and for zero-shot the projection + text tower
eva_checkpoint = _base_.eva02_l_checkpoint
loras = {'0k': None, '5k': 'work_dirs/stage2_joint_eva02_l/iter_5000.pth',
         '50k': 'work_dirs/stage2_joint_eva02_l/iter_50000.pth'}
