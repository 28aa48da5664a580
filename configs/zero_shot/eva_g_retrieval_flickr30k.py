_base_ = ['../_base_/models/zero_shot_eva_clip_g.py', '../_base_/datasets/zero_shot/retrieval_flickr30k.py',
          '../_base_/eval_runtime.py']
