# Stage 1, panoptic segmentation: the single-level Mask2Former (80 things + 53 stuff) on the frozen EVA-ViT-g,
# COCO panoptic (LSJ 1024 crop), 150k iterations, batch 1 x 8 GPUs: the instance head's recipe.
_base_ = [
    '../_base_/models/single_level_mask2former_panoptic.py', '../_base_/datasets/coco_panoptic_lsj.py',
    '../_base_/schedules/stage1_150k.py', '../_base_/det_runtime.py'
]
