# Flickr30K 1k Karpathy test: data/flickr30k/dataset_flickr30k.json, images in data/flickr30k/flickr30k-images/
_base_ = ['./clip_retrieval.py']
test_dataloader = dict(dataset=dict(data_root='data/flickr30k', ann_file='dataset_flickr30k.json',
                                    data_prefix='flickr30k-images'))
# keys 'i2t/flickr30k/retrieval/Recall@{1,5,10}' (text retrieval), 't2i/flickr30k/retrieval/Recall@{1,5,10}'
# (image retrieval)
test_evaluator = dict(prefix='flickr30k/retrieval')
