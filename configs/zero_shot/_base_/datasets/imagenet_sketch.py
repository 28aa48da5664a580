_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet_sketch', data_root='data/imagenet-sketch/sketch'))
# keys 'imagenet-sketch/accuracy/top1', 'imagenet-sketch/accuracy/top5', 'imagenet-sketch/single-label/recall'
test_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet-sketch/accuracy'),
    dict(type='MeanPerClassRecall',
         prefix='imagenet-sketch/single-label'),
]
