"""The visft_mm demo on bundled synthetic data (README's first command).

Steps, each printed as it runs:
  1. generate the synthetic COCO / Karpathy / text-recognition data (skipped when already there);
  2. check it with the real loaders: pycocotools (COCOeval of the ground truth against itself) and mmdet's
     CocoDataset with a training pipeline;
  3. build a small EVA-ViT with LoRA (r=64, alpha=1 on q and v) from the registry, run it on synthetic images,
     and export the LoRA as a peft adapter folder and the merged backbone in the EVA-CLIP layout.

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
    marker = osp.join(data_root, 'checkpoints', 'eva_vit_tiny_eva_clip.pt')  # written last
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


def backbone_smoke_run(data_root, work_dir):
    import os

    import numpy as np
    from PIL import Image

    from visft_mm.models.backbones.eva_weights import export_state_dict
    from visft_mm.models.lora import merged_plain_state_dict, save_peft_adapter
    from mmengine.registry import init_default_scope

    from visft_mm.registry import MODELS

    init_default_scope('visft_mm')
    model = MODELS.build(dict(type='EVAViT', arch='tiny', frozen=True, lora=dict(r=64, alpha=1)))
    model.init_weights()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    img_dir = osp.join(data_root, 'coco', 'val2017')
    names = sorted(os.listdir(img_dir))[:4]
    mean, std = np.array([123.675, 116.28, 103.53]), np.array([58.395, 57.12, 57.375])
    batch = torch.stack([
        torch.from_numpy(((np.asarray(Image.open(osp.join(img_dir, n)).convert('RGB').resize((224, 224)))
                           - mean) / std).astype(np.float32)).permute(2, 0, 1) for n in names])
    start = time.time()
    (features, ) = model(batch)
    features.mean().backward()
    step(f'EVAViT tiny + LoRA: {trainable:,} of {total:,} weights train; features {tuple(features.shape)}; '
         f'forward+backward of {len(names)} images {time.time() - start:.2f} s')
    os.makedirs(work_dir, exist_ok=True)
    save_peft_adapter(model, osp.join(work_dir, 'lora_adapter'))
    torch.save(export_state_dict(merged_plain_state_dict(model), 'eva_clip'), osp.join(work_dir, 'merged_eva_clip.pt'))
    step(f'exported {work_dir}/lora_adapter (peft) and {work_dir}/merged_eva_clip.pt (EVA-CLIP layout)')


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    import visft_mm  # noqa: F401  (registers modules, patches checkpoint loading)
    ensure_data(args.data_root, args.seed)
    check_with_real_loaders(args.data_root)
    backbone_smoke_run(args.data_root, args.work_dir)
    step('done')


if __name__ == '__main__':
    main()
