_base_ = ['./clip_classification.py']  # ILSVRC2012 val in WordNet-id folders under data/imagenet/val
test_evaluator = [  # keys 'imagenet1k/accuracy/top1', 'imagenet1k/accuracy/top5', 'imagenet1k/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet1k/accuracy'),
    dict(type='MeanPerClassRecall', prefix='imagenet1k/single-label'),
]
