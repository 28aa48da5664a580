# ViSFT paper (arXiv 2401.10222), Table 11: task-head learning rate in stage 2 (relative to the LoRA's), zero-shot
# COCO retrieval R@5 (%) of EVA-CLIP-E after 5k stage-2 iterations.  Rows: the default (stage2_joint.py, heads
# frozen = x0) and configs/visft/ablations/stage2_head_lr_x{0.1,1}.py; suite: configs/benchmarks/ablations_eva_e.py.
title = 'Table 11: task-head lr in stage 2, zero-shot COCO retrieval R@5 (%)'
columns = [
    dict(title='Text COCO', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@5'),
    dict(title='Image COCO', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@5'),
]
rows = {'default': 'x0 (heads frozen, default)', 'head_lr_x0_1': 'x0.1', 'head_lr_x1': 'x1'}
baseline = 'default'
paper = {
    'eva-e': {
        'default': {'Text COCO': 87.7, 'Image COCO': 75.2},
        'head_lr_x0_1': {'Text COCO': 87.6, 'Image COCO': 75.1},
        'head_lr_x1': {'Text COCO': 87.6, 'Image COCO': 75.0},
    },
}
