# ViSFT paper (arXiv 2401.10222), Table 5: zero-shot image classification, top-1 accuracy (%), EVA-CLIP-E
# (EVA02-CLIP-E/14-plus) with its vision tower frozen (0k) or ViSFT-tuned (LoRA merged, 5k iterations).
# Benchmark name -> config (nothing trains):  zero_shot_<name>: configs/zero_shot/eva_e_<name>.py, with <name> in
# imagenet1k, imagenet_a, imagenet_r, imagenet_sketch, eurosat, cifar10, cifar100, gtsrb, caltech101.
title = 'Table 5: zero-shot classification, top-1 (%)'
columns = [
    dict(title='ImageNet-1K', benchmark='zero_shot_imagenet1k', metric='imagenet1k/accuracy/top1'),
    dict(title='ImageNet-A', benchmark='zero_shot_imagenet_a', metric='imagenet_a/accuracy/top1'),
    dict(title='ImageNet-R', benchmark='zero_shot_imagenet_r', metric='imagenet_r/accuracy/top1'),
    dict(title='ImageNet-Sketch', benchmark='zero_shot_imagenet_sketch', metric='imagenet_sketch/accuracy/top1'),
    dict(title='EuroSAT', benchmark='zero_shot_eurosat', metric='eurosat/accuracy/top1'),
    dict(title='CIFAR-10', benchmark='zero_shot_cifar10', metric='cifar10/accuracy/top1'),
    dict(title='CIFAR-100', benchmark='zero_shot_cifar100', metric='cifar100/accuracy/top1'),
    dict(title='GTSRB', benchmark='zero_shot_gtsrb', metric='gtsrb/accuracy/top1'),
    dict(title='Caltech-101', benchmark='zero_shot_caltech101', metric='caltech101/accuracy/top1'),
]
paper = {
    'eva-e': {
        '0k': {'ImageNet-1K': 82.0, 'ImageNet-A': 82.1, 'ImageNet-R': 94.5, 'ImageNet-Sketch': 71.6, 'EuroSAT': 65.8,
               'CIFAR-10': 99.3, 'CIFAR-100': 93.1, 'GTSRB': 67.7, 'Caltech-101': 90.5},
        '5k': {'ImageNet-1K': 82.1, 'ImageNet-A': 82.4, 'ImageNet-R': 94.6, 'ImageNet-Sketch': 71.7, 'EuroSAT': 67.1,
               'CIFAR-10': 99.4, 'CIFAR-100': 93.2, 'GTSRB': 67.8, 'Caltech-101': 90.6},
    },
}
note = ('Top-5 (<set>/accuracy/top5) and the mean per-class recall (<set>/single-label/recall, CLIP_benchmark\'s '
        'balanced accuracy) are computed too; the paper reports top-1 only.')
