"""Zero-shot inference throughput of ZeroShotCLIP: images/s of the vision path (EVAViT + head) and prompts/s of
the text tower (class embeddings), random weights, plus the projected wall time of the Table 5 / 6 datasets.

    python tools/analysis_tools/benchmark_zero_shot.py --arch tiny --batch-size 16
    python tools/analysis_tools/benchmark_zero_shot.py --arch eva-e --device cuda --dtype bf16 --batch-size 64

``--arch tiny`` uses the tiny EVA-CLIP-shaped model of ``configs/_base_/models/zero_shot_tiny_clip.py``; ``eva-g``
/ ``eva-e`` build EVA01-CLIP-g/14 / EVA02-CLIP-E/14-plus (vision + text tower) with random weights.
"""
import argparse
import time

import torch

# test-set sizes: images (classification) and images + captions (retrieval)
DATASETS = {'ImageNet-1K val': 50000, 'ImageNet-A': 7500, 'ImageNet-R': 30000, 'ImageNet-Sketch': 50889,
            'EuroSAT': 27000, 'CIFAR-10': 10000, 'CIFAR-100': 10000, 'GTSRB': 12630, 'Caltech-101': 9144}
RETRIEVAL = {'COCO 5k': (5000, 25010), 'Flickr30K 1k': (1000, 5000)}
PROMPTS = {'ImageNet-1K val': 80000, 'ImageNet-A': 16000, 'ImageNet-R': 16000, 'ImageNet-Sketch': 80000,
           'EuroSAT': 30, 'CIFAR-10': 180, 'CIFAR-100': 1800, 'GTSRB': 129, 'Caltech-101': 3468}
MODELS = {
    'tiny': ('tiny', dict(embed_dim=64, text_cfg=dict(context_length=77, vocab_size=49408, width=64, heads=2,
                                                      layers=2))),
    'eva-g': ('eva-g', 'EVA01-g-14'),
    'eva-e': ('eva-e', 'EVA02-E-14-plus'),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--arch', choices=sorted(MODELS), default='tiny')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--text-batch-size', type=int, default=256)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--dtype', choices=('fp32', 'bf16'), default='fp32', help='bf16 = autocast')
    return parser.parse_args(argv)


def timed(fn, iters, warmup, device):
    for _ in range(warmup):
        fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / iters


def main(argv=None):
    args = parse_args(argv)
    import visft_mm  # noqa: F401  (registration)
    from visft_mm.registry import MODELS as REGISTRY
    arch, text_model = MODELS[args.arch]
    with torch.device(args.device):
        model = REGISTRY.build(dict(type='ZeroShotCLIP', text_model=text_model, text_batch_size=args.text_batch_size,
                                    backbone=dict(type='EVAViT', arch=arch, frozen=True, out_type='cls_token')))
    model.eval()
    model._is_init = True  # random weights: nothing to load
    images = torch.randn(args.batch_size, 3, 224, 224, device=args.device)
    prompts = [f'a photo of a class number {i}.' for i in range(args.text_batch_size)]
    autocast = torch.autocast(args.device.split(':')[0], dtype=torch.bfloat16, enabled=args.dtype == 'bf16')
    with torch.no_grad(), autocast:
        image_s = timed(lambda: model.encode_image(images), args.iters, args.warmup, args.device)
        text_s = timed(lambda: model.encode_text(prompts), args.iters, args.warmup, args.device)
    images_per_s, prompts_per_s = args.batch_size / image_s, len(prompts) / text_s
    torch_threads = torch.get_num_threads()
    print(f'ZeroShotCLIP {args.arch} on {args.device} ({args.dtype}, {torch_threads} threads), 224 px, batch '
          f'{args.batch_size}: {images_per_s:.1f} images/s; text tower batch {len(prompts)}: '
          f'{prompts_per_s:.1f} prompts/s')
    total = 0.0
    for name, num in DATASETS.items():
        seconds = num / images_per_s + PROMPTS[name] / prompts_per_s
        total += seconds
        print(f'  {name:16s} {num:6d} images, {PROMPTS[name]:6d} prompts: {seconds / 60:8.1f} min')
    for name, (num_images, num_texts) in RETRIEVAL.items():
        seconds = num_images / images_per_s + num_texts / prompts_per_s
        total += seconds
        print(f'  {name:16s} {num_images:6d} images, {num_texts:6d} captions: {seconds / 60:7.1f} min')
    print(f'projected model time of all nine datasets and both retrieval sets (no data loading): '
          f'{total / 3600:.2f} h')


if __name__ == '__main__':
    main()
