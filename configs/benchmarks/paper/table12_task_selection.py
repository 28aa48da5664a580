# ViSFT paper (arXiv 2401.10222), Table 12: task selection, zero-shot ImageNet-1K top-1 and COCO retrieval R@5 (%)
# of EVA-CLIP-E after 5k stage-2 iterations.  Rows: the default (stage2_joint.py: detection + instance segmentation
# + caption), configs/visft/ablations/stage2_with_pose.py (+ pose), stage2_panoptic.py (panoptic instead of
# instance segmentation) and stage2_without_{detection,segmentation,caption}.py; suite:
# configs/benchmarks/ablations_eva_e.py.
title = 'Table 12: task selection, zero-shot ImageNet-1K top-1 / COCO retrieval R@5 (%)'
columns = [
    dict(title='ImageNet-1K', benchmark='zero_shot_imagenet1k', metric='imagenet1k/accuracy/top1'),
    dict(title='Text COCO', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@5'),
    dict(title='Image COCO', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@5'),
]
rows = {'default': 'default (det + inst. seg + caption)', 'with_pose': '+ pose',
        'panoptic': 'r/panoptic (instead of inst. seg)', 'without_detection': 'without detection',
        'without_segmentation': 'without segmentation', 'without_caption': 'without captioning'}
baseline = 'default'
paper = {
    'eva-e': {
        'default': {'ImageNet-1K': 82.1, 'Text COCO': 87.7, 'Image COCO': 75.2},
        'with_pose': {'ImageNet-1K': 82.1, 'Text COCO': 87.7, 'Image COCO': 75.1},
        'panoptic': {'ImageNet-1K': 82.1, 'Text COCO': 87.8, 'Image COCO': 75.1},
        'without_detection': {'ImageNet-1K': 82.0, 'Text COCO': 87.9, 'Image COCO': 75.2},
        'without_segmentation': {'ImageNet-1K': 82.0, 'Text COCO': 87.8, 'Image COCO': 75.1},
        'without_caption': {'ImageNet-1K': 82.0, 'Text COCO': 87.8, 'Image COCO': 75.2},
    },
}
