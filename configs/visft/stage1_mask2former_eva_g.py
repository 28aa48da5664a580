# Stage 1, instance segmentation: single-level Mask2Former on the frozen EVA-ViT-g, COCO (LSJ 1024 crop),
# 150k iterations, batch 1 x 8 GPUs.
_base_ = [
    '../_base_/models/single_level_mask2former.py', '../_base_/datasets/coco_instance_lsj.py',
    '../_base_/schedules/stage1_150k.py', '../_base_/det_runtime.py'
]
