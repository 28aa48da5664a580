# Ablation (paper Table 12, "r/panoptic"): panoptic instead of instance segmentation, the Mask2Former head kept
# (stage1_mask2former_panoptic_eva_e.py: 80 things + 53 stuff); the panoptic task takes segmentation's
# probability (0.3) and batch (1 image per GPU).
_base_ = ['../stage2_joint.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

_stage1 = stage2_from_stage1(
    caption='{{ fileDirname }}/../stage1_caption_eva_e.py', detection='{{ fileDirname }}/../stage1_detr_eva_e.py',
    panoptic='{{ fileDirname }}/../stage1_mask2former_panoptic_eva_e.py',
    batch_size=dict(caption=_base_.stage2_batch_size['caption'], detection=_base_.stage2_batch_size['detection'],
                    panoptic=_base_.stage2_batch_size['segmentation']))
# the three tasks replace the base's (segmentation leaves)
model = dict(_stage1.model, heads=dict(_stage1.model.heads, _delete_=True))
train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = (
    dict(part, _delete_=True) for part in _stage1[1:])
train_cfg = dict(task_probs=dict(_delete_=True, caption=0.4, detection=0.3, panoptic=0.3))
del stage2_from_stage1, _stage1
