# ViSFT paper (arXiv 2401.10222), Table 6: zero-shot image-text retrieval, Recall@5 (%), EVA-CLIP-E
# (EVA02-CLIP-E/14-plus) with its vision tower frozen (0k) or ViSFT-tuned (LoRA merged after 5k / 50k iterations).
# Text retrieval = image -> text (i2t), image retrieval = text -> image (t2i).  The BLIP-2 rows of the same table
# are in table6_blip2_retrieval.py.  Nothing trains.
title = 'Table 6: zero-shot image-text retrieval R@5 (%), EVA-CLIP-E'
configs = {
    'flickr30k': 'configs/zero_shot/eva_e_retrieval_flickr30k.py',
    'coco': 'configs/zero_shot/eva_e_retrieval_coco.py',
}
metrics = {
    'i2t/flickr30k/retrieval/Recall@5': 'Text retrieval Flickr30K',
    'i2t/coco/retrieval/Recall@5': 'Text retrieval COCO',
    't2i/flickr30k/retrieval/Recall@5': 'Image retrieval Flickr30K',
    't2i/coco/retrieval/Recall@5': 'Image retrieval COCO',
}
paper = {
    'eva-e': {
        '0k': {'i2t/flickr30k/retrieval/Recall@5': 99.4, 'i2t/coco/retrieval/Recall@5': 87.6,
               't2i/flickr30k/retrieval/Recall@5': 94.3, 't2i/coco/retrieval/Recall@5': 74.9},
        '5k': {'i2t/flickr30k/retrieval/Recall@5': 99.4, 'i2t/coco/retrieval/Recall@5': 87.7,
               't2i/flickr30k/retrieval/Recall@5': 94.3, 't2i/coco/retrieval/Recall@5': 75.2},
        '50k': {'i2t/flickr30k/retrieval/Recall@5': 99.5, 'i2t/coco/retrieval/Recall@5': 87.6,
                't2i/flickr30k/retrieval/Recall@5': 94.8, 't2i/coco/retrieval/Recall@5': 76.0},
    },
}
note = 'R@1 and R@10 (Recall@1 / Recall@10 under the same prefixes) are printed too; the paper reports R@5 only.'
