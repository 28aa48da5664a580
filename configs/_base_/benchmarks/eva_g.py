# EVA-ViT-g (EVA01-CLIP-g) and the stage-2 checkpoints of configs/visft/stage2_joint_eva_g.py the paper compares.
_base_ = ['../constants.py']
arch = 'eva-g'
eva_checkpoint = _base_.eva_g_checkpoint
loras = {
    '0k': None,  # the frozen EVA-CLIP tower
    '5k': 'work_dirs/stage2_joint_eva_g/iter_5000.pth',
    '15k': 'work_dirs/stage2_joint_eva_g/iter_15000.pth',
    '20k': 'work_dirs/stage2_joint_eva_g/iter_20000.pth',
}
