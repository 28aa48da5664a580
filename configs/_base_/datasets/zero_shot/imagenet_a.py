_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet_a', data_root='data/imagenet-a'))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='imagenet_a', templates='imagenet_a'))
test_evaluator = [  # keys 'imagenet_a/accuracy/top1', 'imagenet_a/accuracy/top5', 'imagenet_a/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet_a/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='imagenet_a/single-label'),
]
