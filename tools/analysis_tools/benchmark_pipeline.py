"""Images per second of a config's training pipeline alone (decode, augment, pack), without the model.

    python tools/analysis_tools/benchmark_pipeline.py configs/visft/stage1_mask2former_eva_g.py \\
        --cfg-options train_dataloader.dataset.data_root=data/coco/ --num-images 200

Compare with the model's iteration time x batch size: one loader worker must deliver more images per second than
a GPU consumes, or ``num_workers`` must make up the difference.
"""
import argparse
import time

from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import visft_mm  # noqa: F401
from visft_mm.registry import DATASETS


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--num-images', type=int, default=100)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'visft_mm'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    count = min(args.num_images, len(dataset))
    for i in range(min(args.warmup, count)):
        dataset[i]
    start = time.perf_counter()
    for i in range(count):
        dataset[i % len(dataset)]
    seconds = time.perf_counter() - start
    print(f'{args.config}: {count / seconds:.1f} images/s per loader worker ({count} images, {seconds:.1f} s)')


if __name__ == '__main__':
    main()
