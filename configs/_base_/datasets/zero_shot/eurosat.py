_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='eurosat', data_root='data/eurosat/2750'))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='eurosat', templates='eurosat'))
test_evaluator = [  # keys 'eurosat/accuracy/top1', 'eurosat/accuracy/top5', 'eurosat/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='eurosat/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='eurosat/single-label'),
]
