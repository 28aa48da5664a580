_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet_r', data_root='data/imagenet-r'))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='imagenet_r', templates='imagenet_r'))
test_evaluator = [  # keys 'imagenet_r/accuracy/top1', 'imagenet_r/accuracy/top5', 'imagenet_r/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet_r/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='imagenet_r/single-label'),
]
