_base_ = ['./_base_/models/eva02_l.py', './_base_/datasets/imagenet1k.py']
model = dict(prompts=dict(classnames='imagenet1k', templates='imagenet1k'))  # CLIP_benchmark's names and templates
