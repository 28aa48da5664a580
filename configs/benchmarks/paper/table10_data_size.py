# ViSFT paper (arXiv 2401.10222), Table 10: stage-2 training data size (a seeded K% of each task's images), zero-shot
# COCO retrieval R@5 (%) of EVA-CLIP-E after 5k stage-2 iterations.  Rows: configs/visft/ablations/
# stage2_data_{25,50}pct.py and the default (stage2_joint.py, 100%); suite: configs/benchmarks/ablations_eva_e.py.
title = 'Table 10: stage-2 data size, zero-shot COCO retrieval R@5 (%)'
columns = [
    dict(title='Text COCO', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@5'),
    dict(title='Image COCO', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@5'),
]
rows = {'data25': '25%', 'data50': '50%', 'default': '100% (default)'}
baseline = 'default'
paper = {
    'eva-e': {
        'data25': {'Text COCO': 87.6, 'Image COCO': 75.1},
        'data50': {'Text COCO': 87.6, 'Image COCO': 75.1},
        'default': {'Text COCO': 87.7, 'Image COCO': 75.2},
    },
}
note = 'Changes are from the default row (100%).'
