_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='caltech101', data_root='data/caltech101/101_ObjectCategories'))
