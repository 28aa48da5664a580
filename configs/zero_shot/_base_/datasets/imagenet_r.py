_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet-r', data_root='data/imagenet-r'))
test_evaluator = [  # keys 'imagenet-r/accuracy/top1', 'imagenet-r/accuracy/top5', 'imagenet-r/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet-r/accuracy'),
    dict(type='MeanPerClassRecall', prefix='imagenet-r/single-label'),
]
