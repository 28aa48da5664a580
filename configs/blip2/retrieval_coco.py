# Table 6: COCO 5k image-text retrieval with BLIP-2 ViT-g (Q-Former, COCO-finetuned) and the ViSFT vision tower.
# keys: i2t/coco/Recall@5 (text retrieval), t2i/coco/Recall@5 (image retrieval)
_base_ = ['../_base_/models/blip2_retrieval.py', '../_base_/datasets/blip2/coco_retrieval_test.py',
          '../_base_/eval_runtime.py']
