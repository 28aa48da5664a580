_base_ = ['./_base_/models/eva_clip_g.py', './_base_/datasets/retrieval_flickr30k.py']
