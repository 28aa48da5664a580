"""The visft_mm demo on bundled synthetic data (README's first command).

Steps, each printed as it runs:
  1. generate the synthetic COCO / Karpathy / text-recognition data (skipped when already there);
  2. check it with the real loaders: pycocotools (COCOeval of the ground truth against itself) and mmdet's
     CocoDataset with a training pipeline;

Synthetic shapes show that the code paths work end to end; they say nothing about accuracy on real images.
"""
import argparse
import os.path as osp
import time

import torch


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default='data/synthetic', help='where the synthetic data lives')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def step(message):
    print(f'[demo] {message}', flush=True)


def ensure_data(data_root, seed):
    from visft_mm.datasets import generate_synthetic_data
    marker = osp.join(data_root, 'coco', 'annotations', 'dataset_coco.json')
    if osp.exists(marker):
        step(f'synthetic data already in {data_root}')
        return
    start = time.time()
    generate_synthetic_data(data_root, seed=seed)
    step(f'generated synthetic data in {data_root} ({time.time() - start:.1f} s)')


def check_with_real_loaders(data_root):
    import contextlib
    import io

    from mmdet.datasets import CocoDataset
    from mmengine.registry import init_default_scope
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    ann_file = osp.join(data_root, 'coco', 'annotations', 'instances_val2017.json')
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(ann_file)
        dets = [dict(a, score=1.0) for a in gt.loadAnns(gt.getAnnIds()) if not a['iscrowd']]
        evaluator = COCOeval(gt, gt.loadRes(dets), 'segm')
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    step(f'pycocotools: {len(gt.getImgIds())} val images, {len(gt.getAnnIds())} annotations, '
         f'segm mAP of the ground truth against itself = {evaluator.stats[0]:.3f}')
    init_default_scope('mmdet')
    dataset = CocoDataset(
        data_root=osp.join(data_root, 'coco'), ann_file='annotations/instances_train2017.json',
        data_prefix=dict(img='train2017/'), filter_cfg=dict(filter_empty_gt=False),
        metainfo=dict(classes=('circle', 'square', 'triangle', 'star')),
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
                  dict(type='RandomFlip', prob=0.5), dict(type='RandomResize', scale=(448, 336), ratio_range=(0.5, 1.5), keep_ratio=True),
                  dict(type='PackDetInputs')])
    start = time.time()
    num = min(len(dataset), 32)
    for i in range(num):
        dataset[i]
    step(f'mmdet CocoDataset: {len(dataset)} train images; train pipeline {num / (time.time() - start):.1f} img/s')


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    import visft_mm  # noqa: F401  (registers modules, patches checkpoint loading)
    ensure_data(args.data_root, args.seed)
    check_with_real_loaders(args.data_root)
    step('done')


if __name__ == '__main__':
    main()
