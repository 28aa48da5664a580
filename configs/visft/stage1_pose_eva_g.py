# Stage 1, pose (Table 12 "+ pose"): ViTPose's simple decoder on the frozen EVA-ViT-g, COCO person keypoints with
# ground-truth boxes, the stage-1 schedule of the other heads (150k iterations, batch 1 x 8 GPUs).
_base_ = [
    '../_base_/models/vitpose_simple.py', '../_base_/datasets/coco_keypoints_topdown.py',
    '../_base_/schedules/stage1_150k.py', '../_base_/default_runtime.py'
]
