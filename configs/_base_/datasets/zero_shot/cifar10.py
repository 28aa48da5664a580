# CIFAR-10 test pickles: the images are RGB arrays already in memory (no file to load), so
# zero_shot_model below sets the model's data_preprocessor to_rgb=False.
_base_ = ['./clip_classification.py']
cifar_pipeline = [
    dict(type='mmpretrain.ResizeEdge', scale=224, edge='short', backend='pillow', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=224),
    dict(type='mmpretrain.PackInputs')
]
test_dataloader = dict(dataset=dict(_delete_=True, type='ZeroShotCIFAR10', data_root='data/cifar10',
                                    pipeline=cifar_pipeline))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates; the pickled images are RGB already
zero_shot_model = dict(prompts=dict(classnames='cifar10', templates='cifar10'), data_preprocessor=dict(to_rgb=False))
test_evaluator = [  # keys 'cifar10/accuracy/top1', 'cifar10/accuracy/top5', 'cifar10/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='cifar10/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='cifar10/single-label'),
]
