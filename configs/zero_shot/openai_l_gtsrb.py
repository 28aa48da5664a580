_base_ = ['./_base_/models/openai_l.py', './_base_/datasets/gtsrb.py']
model = dict(prompts=dict(classnames='gtsrb', templates='gtsrb'))  # CLIP_benchmark's names and templates
