_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='eurosat', data_root='data/eurosat/2750'))
