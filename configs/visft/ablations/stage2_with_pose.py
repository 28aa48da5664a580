# Ablation (paper Table 12, "+ pose"): the three default heads plus the ViTPose head of stage1_pose_eva_e.py,
# trained through the same LoRA.  Pose gets its own task probability; the paper gives none, so 0.2 is taken
# from detection and segmentation (caption keeps 0.4).  Its batch is stage 1's (8 person crops per GPU).
_base_ = ['../stage2_joint.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

# model = dict(backbone, heads=dict(pose=...)) merges into the base's three heads; so do the dataloaders / metrics
model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    pose='{{ fileDirname }}/../stage1_pose_eva_e.py')
train_cfg = dict(task_probs=dict(caption=0.4, detection=0.2, segmentation=0.2, pose=0.2))
del stage2_from_stage1
