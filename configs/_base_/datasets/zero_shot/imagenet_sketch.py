_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(benchmark='imagenet_sketch', data_root='data/imagenet-sketch/sketch'))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates (ImageNet-1k's)
zero_shot_model = dict(prompts=dict(classnames='imagenet_sketch', templates='imagenet_sketch'))
# keys 'imagenet_sketch/accuracy/top1', 'imagenet_sketch/accuracy/top5', 'imagenet_sketch/single-label/recall'
test_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='imagenet_sketch/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro',
         prefix='imagenet_sketch/single-label'),
]
