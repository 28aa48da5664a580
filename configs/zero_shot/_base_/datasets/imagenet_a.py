_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet-a', data_root='data/imagenet-a'))
test_evaluator = [  # keys 'imagenet-a/accuracy/top1', 'imagenet-a/accuracy/top5', 'imagenet-a/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet-a/accuracy'),
    dict(type='MeanPerClassRecall', prefix='imagenet-a/single-label'),
]
