_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/imagenet_a.py']
model = dict(prompts=dict(classnames='imagenet-a', templates='imagenet-a'))  # CLIP_benchmark's names and templates
