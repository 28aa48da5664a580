_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/cifar10.py']
model = dict(prompts=dict(classnames='cifar10', templates='cifar10'), data_preprocessor=dict(to_rgb=False))
