_base_ = ['../_base_/models/zero_shot_eva_clip_e.py', '../_base_/datasets/zero_shot/retrieval_coco.py',
          '../_base_/eval_runtime.py']
