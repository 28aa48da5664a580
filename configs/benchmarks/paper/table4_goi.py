# Table 4 of ViSFT (arXiv 2401.10222): linear probe of the [CLS] token on M3IT coco-goi (grounded object
# identification), 30 epochs, top-1 / top-5 (%) on the validation split.  Benchmark 'goi' of a suite:
#   goi=dict(config='configs/probes/goi/linear_eva_g.py', train=True)   (linear_eva_e.py for eva-e)
# mmpretrain's Accuracy already reports percent (scale 1).  Rows: 0k = the frozen EVA-CLIP backbone; 5k / 15k =
# after that many ViSFT stage-2 iterations (LoRA merged); the probe is trained anew for every row.
title = 'Table 4: grounded object identification (M3IT coco-goi), linear probe on [CLS], accuracy (%)'
columns = [
    dict(title='Top-1', benchmark='goi', metric='accuracy/top1', scale=1),
    dict(title='Top-5', benchmark='goi', metric='accuracy/top5', scale=1),
]
paper = {
    'eva-g': {
        '0k': {'Top-1': 52.3, 'Top-5': 87.3},
        '5k': {'Top-1': 52.9, 'Top-5': 87.5},
        '15k': {'Top-1': 52.9, 'Top-5': 87.7},
    },
    'eva-e': {
        '0k': {'Top-1': 54.9, 'Top-5': 88.3},
        '5k': {'Top-1': 55.2, 'Top-5': 88.7},
    },
}
