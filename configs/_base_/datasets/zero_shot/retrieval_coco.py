# COCO 5k Karpathy test: data/coco/annotations/dataset_coco.json, images in data/coco/val2014/
_base_ = ['./clip_retrieval.py']
# keys 'i2t/coco/retrieval/Recall@{1,5,10}' (text retrieval) and 't2i/coco/retrieval/Recall@{1,5,10}' (image retrieval)
test_evaluator = dict(prefix='coco/retrieval')
