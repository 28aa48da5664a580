# Paper Table 6 (BLIP-2 rows): image-text retrieval Recall@5 (%) of BLIP-2 ViT-g (COCO-finetuned Q-Former, as
# LAVIS evaluates COCO and zero-shot Flickr30K) with the ViSFT vision tower, 0k -> 5k stage-2 iterations.
# Text retrieval = image -> text (i2t), image retrieval = text -> image (t2i).  Nothing trains.
title = 'Table 6: retrieval with BLIP-2 ViT-g (R@5)'
configs = {
    'i2t/flickr30k/Recall@5': 'configs/blip2/retrieval_flickr30k.py',
    'i2t/coco/Recall@5': 'configs/blip2/retrieval_coco.py',
    't2i/flickr30k/Recall@5': 'configs/blip2/retrieval_flickr30k.py',
    't2i/coco/Recall@5': 'configs/blip2/retrieval_coco.py',
}
metrics = {
    'i2t/flickr30k/Recall@5': 'text R@5 Flickr30K',
    'i2t/coco/Recall@5': 'text R@5 COCO',
    't2i/flickr30k/Recall@5': 'image R@5 Flickr30K',
    't2i/coco/Recall@5': 'image R@5 COCO',
}
paper = {
    'eva-g': {
        '0k': {'i2t/flickr30k/Recall@5': 99.9, 'i2t/coco/Recall@5': 94.2, 't2i/flickr30k/Recall@5': 96.8,
               't2i/coco/Recall@5': 84.0},
        '5k': {'i2t/flickr30k/Recall@5': 99.9, 'i2t/coco/Recall@5': 94.3, 't2i/flickr30k/Recall@5': 96.9,
               't2i/coco/Recall@5': 84.1},
    },
}
note = 'The configs also report Recall@1 and Recall@10 (i2t/<set>/Recall@K, t2i/<set>/Recall@K).'
