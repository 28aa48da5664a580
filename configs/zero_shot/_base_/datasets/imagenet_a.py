_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet-a', data_root='data/imagenet-a'))
