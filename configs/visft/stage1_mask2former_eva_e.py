# Stage 1, instance segmentation on the frozen EVA-ViT-E (4.4 B, post-norm).
#   tools/dist_train.sh configs/visft/stage1_mask2former_eva_e.py 8
_base_ = ['./stage1_mask2former_eva_g.py']
model = dict(
    backbone=dict(arch='eva-e', init_cfg=dict(checkpoint=_base_.eva_e_checkpoint)),
    panoptic_head=dict(in_channels=[1792]))
