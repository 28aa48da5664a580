# Ablation (paper): stage 2 without segmentation; the others keep their relative probabilities.  The segmentation head stays in
# the model, frozen and unused in training, so validation still reports its task.
_base_ = ['../stage2_joint.py']
train_cfg = dict(task_probs={'caption': 0.571429, 'detection': 0.428571, 'segmentation': 0.0})
