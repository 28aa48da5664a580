# COCO 5k Karpathy test: data/coco/annotations/dataset_coco.json, images in data/coco/val2014/
_base_ = ['./clip_retrieval.py']
