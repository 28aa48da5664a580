# Stage 1, detection: single-level DETR on the frozen EVA-ViT-g, COCO, 150k iterations, batch 1 x 8 GPUs.
#   tools/dist_train.sh configs/visft/stage1_detr_eva_g.py 8
_base_ = [
    '../_base_/models/single_level_detr.py', '../_base_/datasets/coco_detection.py',
    '../_base_/schedules/stage1_150k.py', '../_base_/det_runtime.py'
]
