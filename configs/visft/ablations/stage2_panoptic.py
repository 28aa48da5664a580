# Ablation (paper Table 12, "r/panoptic"): panoptic instead of instance segmentation, the Mask2Former head kept
# (stage1_mask2former_panoptic_eva_e.py: 80 things + 53 stuff); the panoptic task takes segmentation's
# probability (0.3) and batch (1 image per GPU).
_base_ = ['../stage2_joint.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (an import before _base_ = lazy config)

_stage1 = stage2_from_stage1(caption='{{ fileDirname }}/../stage1_caption_eva_e.py',
                             detection='{{ fileDirname }}/../stage1_detr_eva_e.py',
                             panoptic='{{ fileDirname }}/../stage1_mask2former_panoptic_eva_e.py')
model = dict(heads=dict(_stage1.heads, _delete_=True))
train_dataloader = dict(_stage1.train_dataloader, _delete_=True)
train_dataloader['caption'].batch_size = 8
val_dataloader = test_dataloader = dict(_stage1.val_dataloader, _delete_=True)
val_evaluator = test_evaluator = dict(_stage1.val_evaluator, _delete_=True)
train_cfg = dict(task_probs=dict(_delete_=True, caption=0.4, detection=0.3, panoptic=0.3))
del stage2_from_stage1, _stage1
