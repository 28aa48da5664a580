_base_ = ['./clip_classification.py']  # ILSVRC2012 val in WordNet-id folders under data/imagenet/val
