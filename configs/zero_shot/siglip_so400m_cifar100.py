_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/cifar100.py']
model = dict(prompts=dict(classnames='cifar100', templates='cifar100'), data_preprocessor=dict(to_rgb=False))
