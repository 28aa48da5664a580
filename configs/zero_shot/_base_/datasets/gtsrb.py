# GTSRB official test set: data/gtsrb/GT-final_test.csv + data/gtsrb/GTSRB/Final_Test/Images/*.ppm
_base_ = ['./clip_classification.py']
test_dataloader = dict(dataset=dict(_delete_=True, type='GTSRBTest', data_root='data/gtsrb',
                                    pipeline={{_base_.test_pipeline}}))
test_evaluator = [  # keys 'gtsrb/accuracy/top1', 'gtsrb/accuracy/top5', 'gtsrb/single-label/recall'
    dict(type='mmpretrain.Accuracy', topk=(1, 5), prefix='gtsrb/accuracy'),
    dict(type='MeanPerClassRecall', prefix='gtsrb/single-label'),
]
