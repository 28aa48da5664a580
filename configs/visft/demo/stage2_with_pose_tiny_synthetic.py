# The demo's stage 2 (stage2_joint_tiny_synthetic.py) plus the pose head of stage1_pose_tiny_synthetic.py: the
# Table-12 "+ pose" setting (ablations/stage2_with_pose.py) on the synthetic sets.
_base_ = ['./stage2_joint_tiny_synthetic.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

# model = dict(backbone, heads=dict(pose=...)) merges into the base's three heads; so do the dataloaders / metrics
model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    pose='{{ fileDirname }}/stage1_pose_tiny_synthetic.py')
train_cfg = dict(task_probs=dict(caption=0.4, detection=0.2, segmentation=0.2, pose=0.2))
del stage2_from_stage1
