_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='caltech101', data_root='data/caltech101/101_ObjectCategories'))
test_evaluator = [  # keys 'caltech101/accuracy/top1', 'caltech101/accuracy/top5', 'caltech101/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='caltech101/accuracy'),
    dict(type='MeanPerClassRecall', prefix='caltech101/single-label'),
]
