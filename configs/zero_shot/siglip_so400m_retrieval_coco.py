_base_ = ['../_base_/models/zero_shot_siglip_so400m.py', '../_base_/datasets/zero_shot/retrieval_coco.py',
          '../_base_/eval_runtime.py']
