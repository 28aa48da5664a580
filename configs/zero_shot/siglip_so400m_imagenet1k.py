_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/imagenet1k.py']
model = dict(prompts=dict(classnames='imagenet1k', templates='imagenet1k'))  # CLIP_benchmark's names and templates
