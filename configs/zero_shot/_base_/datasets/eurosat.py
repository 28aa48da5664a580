_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='eurosat', data_root='data/eurosat/2750'))
test_evaluator = [  # keys 'eurosat/accuracy/top1', 'eurosat/accuracy/top5', 'eurosat/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='eurosat/accuracy'),
    dict(type='MeanPerClassRecall', prefix='eurosat/single-label'),
]
