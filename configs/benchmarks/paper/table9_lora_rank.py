# ViSFT paper (arXiv 2401.10222), Table 9: LoRA rank, zero-shot COCO retrieval R@5 (%) of EVA-CLIP-E after 5k
# stage-2 iterations.  Rows: the LoRAs of configs/visft/ablations/stage2_lora_r{8,16,32}.py and the default
# (stage2_joint.py, r=64); suite: configs/benchmarks/ablations_eva_e.py.
title = 'Table 9: LoRA rank, zero-shot COCO retrieval R@5 (%)'
columns = [
    dict(title='Text COCO', benchmark='retrieval_coco', metric='i2t/coco/retrieval/Recall@5'),
    dict(title='Image COCO', benchmark='retrieval_coco', metric='t2i/coco/retrieval/Recall@5'),
]
rows = {'r8': 'r=8', 'r16': 'r=16', 'r32': 'r=32', 'default': 'r=64 (default)'}
baseline = 'default'
paper = {
    'eva-e': {
        'r8': {'Text COCO': 87.7, 'Image COCO': 75.1},
        'r16': {'Text COCO': 87.7, 'Image COCO': 75.1},
        'r32': {'Text COCO': 87.8, 'Image COCO': 75.0},
        'default': {'Text COCO': 87.7, 'Image COCO': 75.2},
    },
}
note = 'Changes are from the default row (r=64).'
