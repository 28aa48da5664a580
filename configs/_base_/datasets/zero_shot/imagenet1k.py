_base_ = ['./clip_classification.py']  # ILSVRC2012 val in WordNet-id folders under data/imagenet/val
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='imagenet1k', templates='imagenet1k'))
test_evaluator = [  # keys 'imagenet1k/accuracy/top1', 'imagenet1k/accuracy/top5', 'imagenet1k/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet1k/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='imagenet1k/single-label'),
]
