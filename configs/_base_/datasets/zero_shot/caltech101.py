_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='caltech101', data_root='data/caltech101/101_ObjectCategories'))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='caltech101', templates='caltech101'))
test_evaluator = [  # keys 'caltech101/accuracy/top1', 'caltech101/accuracy/top5', 'caltech101/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='caltech101/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='caltech101/single-label'),
]
