_base_ = ['./_base_/models/siglip_so400m.py', './_base_/datasets/retrieval_coco.py']
