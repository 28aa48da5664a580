# The demo's stage 2 (stage2_joint_tiny_synthetic.py) with panoptic instead of instance segmentation
# (stage1_mask2former_panoptic_tiny_synthetic.py): the Table-12 "r/panoptic" setting (ablations/stage2_panoptic.py)
# on the synthetic sets.
_base_ = ['./stage2_joint_tiny_synthetic.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (an import before _base_ = lazy config)

_stage1 = stage2_from_stage1(caption='{{ fileDirname }}/stage1_caption_tiny_synthetic.py',
                             detection='{{ fileDirname }}/stage1_detr_tiny_synthetic.py',
                             panoptic='{{ fileDirname }}/stage1_mask2former_panoptic_tiny_synthetic.py')
model = dict(heads=dict(_stage1.heads, _delete_=True))
train_dataloader = dict(_stage1.train_dataloader, _delete_=True)
train_dataloader['caption'].batch_size = 8
train_dataloader['detection'].batch_size = 1
train_dataloader['panoptic'].batch_size = 1
val_dataloader = test_dataloader = dict(_stage1.val_dataloader, _delete_=True)
val_evaluator = test_evaluator = dict(_stage1.val_evaluator, _delete_=True)
train_cfg = dict(task_probs=dict(_delete_=True, caption=0.4, detection=0.3, panoptic=0.3))
del stage2_from_stage1, _stage1
