_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/caltech101.py']
model = dict(prompts=dict(classnames='caltech101', templates='caltech101'))  # CLIP_benchmark's names and templates
