_base_ = ['../_base_/models/zero_shot_eva_clip_g.py', '../_base_/datasets/zero_shot/caltech101.py',
          '../_base_/eval_runtime.py']
model = _base_.zero_shot_model
