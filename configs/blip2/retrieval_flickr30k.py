# Table 6: Flickr30K 1k zero-shot image-text retrieval with BLIP-2 ViT-g (COCO-finetuned Q-Former, as LAVIS) and
# the ViSFT vision tower.  keys: i2t/flickr30k/Recall@5 (text retrieval), t2i/flickr30k/Recall@5 (image)
_base_ = ['../_base_/models/blip2_retrieval.py', '../_base_/datasets/blip2/flickr30k_retrieval_test.py',
          '../_base_/eval_runtime.py']
