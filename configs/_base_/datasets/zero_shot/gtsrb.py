# GTSRB official test set: data/gtsrb/GT-final_test.csv + data/gtsrb/GTSRB/Final_Test/Images/*.ppm
_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(_delete_=True, type='GTSRBTest', data_root='data/gtsrb',
                                    pipeline={{_base_.test_pipeline}}))
# what this set asks of the zero-shot model (a leaf: model = _base_.zero_shot_model): CLIP_benchmark's class
# names and prompt templates
zero_shot_model = dict(prompts=dict(classnames='gtsrb', templates='gtsrb'))
test_evaluator = [  # keys 'gtsrb/accuracy/top1', 'gtsrb/accuracy/top5', 'gtsrb/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='gtsrb/accuracy'),
    dict(type='mmpretrain.SingleLabelMetric', items=('recall', ), average='macro', prefix='gtsrb/single-label'),
]
