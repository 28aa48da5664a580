_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/imagenet_r.py']
model = dict(prompts=dict(classnames='imagenet-r', templates='imagenet-r'))  # CLIP_benchmark's names and templates
