# Ablation (paper): stage 2 without caption.  The loop never draws it; the other tasks keep the paper's ratio,
# rescaled to sum to 1 (TaskSampler).  The head stays in the model, frozen and unused in training, so validation
# still reports its task.
_base_ = ['../stage2_joint.py']
train_cfg = dict(without_tasks=['caption'])
