_base_ = ['./_base_/models/eva02_l.py', './_base_/datasets/cifar10.py']
model = dict(prompts=dict(classnames='cifar10', templates='cifar10'), data_preprocessor=dict(to_rgb=False))
