# Table 4 of ViSFT (arXiv 2401.10222): linear probe of the [CLS] token on M3IT coco-goi (grounded object
# identification), 30 epochs, validation split.  Configs: configs/probes/goi/linear_eva_{g,e}.py (train, then test).
title = 'Table 4: grounded object identification (M3IT coco-goi), linear probe on [CLS]'
metrics = {'accuracy/top1': 'Top-1', 'accuracy/top5': 'Top-5'}
paper = {
    'eva-g': {
        '0k': {'accuracy/top1': 52.3, 'accuracy/top5': 87.3},
        '5k': {'accuracy/top1': 52.9, 'accuracy/top5': 87.5},
        '15k': {'accuracy/top1': 52.9, 'accuracy/top5': 87.7},
    },
    'eva-e': {
        '0k': {'accuracy/top1': 54.9, 'accuracy/top5': 88.3},
        '5k': {'accuracy/top1': 55.2, 'accuracy/top5': 88.7},
    },
}
note = '0k: the frozen EVA-CLIP backbone; 5k / 15k: after that many ViSFT stage-2 iterations (LoRA merged).'
