_base_ = ['./_base_/models/openai_l.py', './_base_/datasets/imagenet_r.py']
model = dict(prompts=dict(classnames='imagenet-r', templates='imagenet-r'))  # CLIP_benchmark's names and templates
