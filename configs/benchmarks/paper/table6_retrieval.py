# ViSFT paper (arXiv 2401.10222), Table 6: zero-shot image-text retrieval, Recall@5 (%), EVA-CLIP-E
# (EVA02-CLIP-E/14-plus) with its vision tower frozen (0k) or ViSFT-tuned (LoRA merged after 5k / 50k iterations).
# Text retrieval = image -> text (i2t), image retrieval = text -> image (t2i).  The BLIP-2 rows of the same table are
# in table6_blip2_retrieval.py.  Benchmarks (nothing trains): retrieval_flickr30k ->
# configs/zero_shot/eva_e_retrieval_flickr30k.py, retrieval_coco -> configs/zero_shot/eva_e_retrieval_coco.py.
title = 'Table 6: zero-shot image-text retrieval, R@5 (%)'
columns = [
    dict(title='Text Flickr30K', benchmark='retrieval_flickr30k', metric='i2t/flickr30k/retrieval/Recall@5'),
    dict(title='Text COCO', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@5'),
    dict(title='Image Flickr30K', benchmark='retrieval_flickr30k', metric='t2i/flickr30k/retrieval/Recall@5'),
    dict(title='Image COCO', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@5'),
]
paper = {
    'eva-e': {
        '0k': {'Text Flickr30K': 99.4, 'Text COCO': 87.6, 'Image Flickr30K': 94.3, 'Image COCO': 74.9},
        '5k': {'Text Flickr30K': 99.4, 'Text COCO': 87.7, 'Image Flickr30K': 94.3, 'Image COCO': 75.2},
        '50k': {'Text Flickr30K': 99.5, 'Text COCO': 87.6, 'Image Flickr30K': 94.8, 'Image COCO': 76.0},
    },
}
note = 'R@1 and R@10 (Recall@1 / Recall@10 under the same prefixes) are computed too; the paper reports R@5 only.'
