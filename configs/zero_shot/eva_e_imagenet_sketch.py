_base_ = ['./_base_/models/eva_clip_e.py', './_base_/datasets/imagenet_sketch.py']
model = dict(prompts=dict(classnames='imagenet_sketch', templates='imagenet_sketch'))  # CLIP_benchmark's names and templates
