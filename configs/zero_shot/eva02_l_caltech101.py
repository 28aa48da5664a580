_base_ = ['./_base_/models/eva02_l.py', './_base_/datasets/caltech101.py']
model = dict(prompts=dict(classnames='caltech101', templates='caltech101'))  # CLIP_benchmark's names and templates
