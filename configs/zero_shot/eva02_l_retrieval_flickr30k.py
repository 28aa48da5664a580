_base_ = ['./_base_/models/eva02_l.py', './_base_/datasets/retrieval_flickr30k.py']
