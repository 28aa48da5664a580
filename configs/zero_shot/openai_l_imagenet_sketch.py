_base_ = ['./_base_/models/openai_l.py', './_base_/datasets/imagenet_sketch.py']
# CLIP_benchmark's names and templates (ImageNet-1k's)
model = dict(prompts=dict(classnames='imagenet_sketch', templates='imagenet_sketch'))
