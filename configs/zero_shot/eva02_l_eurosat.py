_base_ = ['./_base_/models/eva02_l.py', './_base_/datasets/eurosat.py']
model = dict(prompts=dict(classnames='eurosat', templates='eurosat'))  # CLIP_benchmark's names and templates
