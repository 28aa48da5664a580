_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet-r', data_root='data/imagenet-r'))
