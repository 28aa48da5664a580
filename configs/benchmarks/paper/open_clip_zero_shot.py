# The CLIP families' frozen towers (0k) as open_clip publishes them (docs/openclip_results.csv): ImageNet-1k
# zero-shot top-1 and COCO retrieval R@1, for configs/benchmarks/visft_{eva02_l,openai_l,siglip_so400m}.py.
title = 'open_clip zero-shot reference: ImageNet-1k top-1, COCO R@1 (%)'
reference = 'open_clip'
columns = [
    dict(title='ImageNet-1K', benchmark='zero_shot_imagenet1k', metric='imagenet1k/accuracy/top1'),
    dict(title='Text COCO R@1', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@1'),
    dict(title='Image COCO R@1', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@1'),
]
paper = {
    'openai-l': {'0k': {'ImageNet-1K': 75.54, 'Text COCO R@1': 56.34, 'Image COCO R@1': 36.51}},
    'eva02-l': {'0k': {'ImageNet-1K': 79.77, 'Text COCO R@1': 63.66, 'Image COCO R@1': 47.47}},
    'siglip-so400m': {'0k': {'ImageNet-1K': 82.03, 'Text COCO R@1': 69.66, 'Image COCO R@1': 51.76}},
}
digits = 2
