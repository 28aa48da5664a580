# Ablation (paper): stage 2 without caption; the others keep their relative probabilities.  The caption head stays in
# the model, frozen and unused in training, so validation still reports its task.
_base_ = ['../stage2_joint.py']
train_cfg = dict(task_probs={'caption': 0.0, 'detection': 0.5, 'segmentation': 0.5})
