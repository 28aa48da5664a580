# Paper Table 6 (BLIP-2 rows): image-text retrieval Recall@5 (%) of BLIP-2 ViT-g (COCO-finetuned Q-Former, as
# LAVIS evaluates COCO and zero-shot Flickr30K) with the ViSFT vision tower, 0k -> 5k stage-2 iterations.
# Text retrieval = image -> text (i2t), image retrieval = text -> image (t2i).  Nothing trains; benchmarks of
# configs/benchmarks/blip2.py (they also report Recall@1 / @10).
title = 'Table 6: image-text retrieval with BLIP-2 ViT-g, Recall@5 (%)'
columns = [
    dict(title='text Flickr30K', benchmark='blip2_retrieval_flickr30k', metric='i2t/flickr30k/Recall@5'),
    dict(title='text COCO', benchmark='blip2_retrieval_coco', metric='i2t/coco/Recall@5'),
    dict(title='image Flickr30K', benchmark='blip2_retrieval_flickr30k', metric='t2i/flickr30k/Recall@5'),
    dict(title='image COCO', benchmark='blip2_retrieval_coco', metric='t2i/coco/Recall@5'),
]
paper = {
    'eva-g': {
        '0k': {'text Flickr30K': 99.9, 'text COCO': 94.2, 'image Flickr30K': 96.8, 'image COCO': 84.0},
        '5k': {'text Flickr30K': 99.9, 'text COCO': 94.3, 'image Flickr30K': 96.9, 'image COCO': 84.1},
    },
}
