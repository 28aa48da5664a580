_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet_sketch', data_root='data/imagenet-sketch/sketch'))
