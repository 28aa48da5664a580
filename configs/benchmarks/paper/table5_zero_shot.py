# ViSFT paper (arXiv 2401.10222), Table 5: zero-shot image classification, top-1 accuracy (%), EVA-CLIP-E
# (EVA02-CLIP-E/14-plus) with its vision tower frozen (0k) or ViSFT-tuned (LoRA merged, 5k iterations).
# One config per column: configs/zero_shot/eva_e_<benchmark>.py (see `configs` below); nothing trains.
title = 'Table 5: zero-shot classification top-1 (%)'
configs = {
    'imagenet1k': 'configs/zero_shot/eva_e_imagenet1k.py',
    'imagenet-a': 'configs/zero_shot/eva_e_imagenet_a.py',
    'imagenet-r': 'configs/zero_shot/eva_e_imagenet_r.py',
    'imagenet-sketch': 'configs/zero_shot/eva_e_imagenet_sketch.py',
    'eurosat': 'configs/zero_shot/eva_e_eurosat.py',
    'cifar10': 'configs/zero_shot/eva_e_cifar10.py',
    'cifar100': 'configs/zero_shot/eva_e_cifar100.py',
    'gtsrb': 'configs/zero_shot/eva_e_gtsrb.py',
    'caltech101': 'configs/zero_shot/eva_e_caltech101.py',
}
metrics = {
    'imagenet1k/accuracy/top1': 'ImageNet-1K',
    'imagenet-a/accuracy/top1': 'ImageNet-A',
    'imagenet-r/accuracy/top1': 'ImageNet-R',
    'imagenet-sketch/accuracy/top1': 'ImageNet-Sketch',
    'eurosat/accuracy/top1': 'EuroSAT',
    'cifar10/accuracy/top1': 'CIFAR-10',
    'cifar100/accuracy/top1': 'CIFAR-100',
    'gtsrb/accuracy/top1': 'GTSRB',
    'caltech101/accuracy/top1': 'Caltech-101',
}
paper = {
    'eva-e': {
        '0k': {
            'imagenet1k/accuracy/top1': 82.0, 'imagenet-a/accuracy/top1': 82.1, 'imagenet-r/accuracy/top1': 94.5,
            'imagenet-sketch/accuracy/top1': 71.6, 'eurosat/accuracy/top1': 65.8, 'cifar10/accuracy/top1': 99.3,
            'cifar100/accuracy/top1': 93.1, 'gtsrb/accuracy/top1': 67.7, 'caltech101/accuracy/top1': 90.5,
        },
        '5k': {
            'imagenet1k/accuracy/top1': 82.1, 'imagenet-a/accuracy/top1': 82.4, 'imagenet-r/accuracy/top1': 94.6,
            'imagenet-sketch/accuracy/top1': 71.7, 'eurosat/accuracy/top1': 67.1, 'cifar10/accuracy/top1': 99.4,
            'cifar100/accuracy/top1': 93.2, 'gtsrb/accuracy/top1': 67.8, 'caltech101/accuracy/top1': 90.6,
        },
    },
}
note = ('Top-5 (<benchmark>/accuracy/top5) and the mean per-class recall (<benchmark>/single-label/recall, '
        'CLIP_benchmark\'s balanced accuracy) are printed too; the paper reports top-1 only.')
