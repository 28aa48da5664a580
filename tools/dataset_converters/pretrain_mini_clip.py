"""Pretrain the demo's tiny CLIP contrastively on the synthetic image-caption pairs and write it as an EVA-CLIP
checkpoint (cached: the same settings and data reuse the file).  ``--eval`` then reports what it learnt (zero-shot
colour / shape classification and caption retrieval on the val split, through ``visft_mm.ZeroShotCLIP``), beside
the untrained model.

    python tools/dataset_converters/pretrain_mini_clip.py data/synthetic \\
        data/synthetic/checkpoints/mini_clip_eva_clip.pt --eval
"""
import argparse
import json
import os.path as osp
import tempfile

from visft_mm.testing.mini_clip import (PRETRAIN_DEFAULTS, evaluate_mini_clip, pretrain_mini_clip,
                                        write_untrained_mini_clip)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('data_root', help='synthetic data folder (with coco/train2017 and its captions)')
    parser.add_argument('out_file', help='the EVA-CLIP checkpoint to write (a .json sidecar goes beside it)')
    for name in ('steps', 'batch_size', 'image_size', 'warmup', 'seed'):
        parser.add_argument('--' + name.replace('_', '-'), type=int, default=PRETRAIN_DEFAULTS[name])
    for name in ('lr', 'weight_decay'):
        parser.add_argument('--' + name.replace('_', '-'), type=float, default=PRETRAIN_DEFAULTS[name])
    parser.add_argument('--threads', type=int, default=None, help='torch threads (default: torch\'s)')
    parser.add_argument('--eval', action='store_true',
                        help='evaluate the trained and the untrained model on the val split')
    parser.add_argument('--eval-data-root', default=None, help='val data for --eval (default: data_root)')
    parser.add_argument('--eval-sizes', type=int, nargs='+', default=[224], help='image sizes for --eval')
    return parser.parse_args()


def main():
    args = parse_args()
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        stats = pretrain_mini_clip(args.data_root, args.out_file, steps=args.steps, batch_size=args.batch_size,
                                   image_size=args.image_size, lr=args.lr, weight_decay=args.weight_decay,
                                   warmup=args.warmup, seed=args.seed)
    except (ValueError, FileNotFoundError) as e:
        raise SystemExit(f'error: {e}')
    print(json.dumps(stats))
    if not args.eval:
        return
    from mmengine.logging import MMLogger
    MMLogger.get_instance('mini_clip_eval', log_level='WARNING')  # the initializers' per-tensor reports
    eval_root = args.eval_data_root or args.data_root
    with tempfile.TemporaryDirectory() as tmp:
        untrained = write_untrained_mini_clip(osp.join(tmp, 'untrained.pt'), seed=args.seed)
        rows = {}
        for size in args.eval_sizes:
            rows[f'untrained @{size}'] = evaluate_mini_clip(untrained, eval_root, image_size=size)
            rows[f'pretrained @{size}'] = evaluate_mini_clip(args.out_file, eval_root, image_size=size)
    keys = list(next(iter(rows.values())))
    print('| model | ' + ' | '.join(keys) + ' |')
    print('|---' * (len(keys) + 1) + '|')
    for name, row in rows.items():
        print(f'| {name} | ' + ' | '.join(f'{row[k]:g}' for k in keys) + ' |')


if __name__ == '__main__':
    main()
