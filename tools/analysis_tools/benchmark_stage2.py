"""Stage-2 step time and peak memory per task, with a stage-2 config's real model, pipelines and batch sizes.

    python tools/analysis_tools/benchmark_stage2.py configs/visft/stage2_joint_eva_g.py --iters 40 \\
        --data-root data/synthetic [--with-cp] [--amp] [--random-backbone]

The images come from ``--data-root`` (the synthetic tree: the pipelines resize them to the reference resolutions,
so the step costs what it costs on COCO); heads are random (their stage-1 checkpoints are not needed to time a
step) and frozen as in training.  Prints per task: mean / median seconds per training step (after ``--warmup``
steps, data loading excluded) and peak GPU memory, and what that predicts for the paper's 50k iterations.
"""
import argparse
import copy
import os.path as osp
import statistics
import tempfile
import time
from collections import defaultdict

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import visft_mm  # noqa: F401
from visft_mm.datasets.captions import Vocabulary
from visft_mm.engine.launch import retarget_paths
from visft_mm.models import EVAViT
from visft_mm.registry import MODELS


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--data-root', default='data/synthetic', help='synthetic tree (make_synthetic_data.py)')
    parser.add_argument('--iters', type=int, default=40)
    parser.add_argument('--warmup', type=int, default=5, help='steps per task left out of the figures')
    parser.add_argument('--with-cp', action='store_true', help='gradient checkpointing in the backbone')
    parser.add_argument('--amp', action='store_true', help='bf16 autocast (AmpOptimWrapper)')
    parser.add_argument('--random-backbone', action='store_true', help='no EVA-CLIP file: random weights')
    parser.add_argument('--work-dir', default=None)
    return parser.parse_args()


class StepTimer(Hook):
    """Seconds and peak memory of each training step (data loading excluded), by task."""

    def __init__(self):
        self.times, self.peaks = defaultdict(list), defaultdict(list)
        self._start = None

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
            self.peaks[data_batch['task']].append(torch.cuda.max_memory_allocated() / 2**30)
        self.times[data_batch['task']].append(time.perf_counter() - self._start)


def main():
    args = parse_args()
    init_default_scope('visft_mm')
    coco_root = osp.join(args.data_root, 'coco')
    vocab_file = osp.join(coco_root, 'annotations', 'caption_vocab.json')
    if not osp.exists(vocab_file):
        Vocabulary.from_annotations(osp.join(coco_root, 'annotations', 'dataset_coco.json')).save(vocab_file)
    cfg = Config.fromfile(args.config)
    cfg = Config(retarget_paths(cfg.to_dict(), 'data/coco', coco_root))  # vocab_file included
    tmp = tempfile.mkdtemp(prefix='visft_bench_')
    cfg.work_dir = args.work_dir or tmp
    # random heads in the stage-1 checkpoint format: a step costs the same with trained weights
    for task, head in cfg.model.heads.items():
        width = EVAViT._parse_arch(cfg.model.backbone.get('arch', 'eva-g'))['embed_dims']
        model = MODELS.build(copy.deepcopy(dict(head.model, backbone=dict(type='BackboneFeatures', embed_dims=width))))
        head.checkpoint = osp.join(tmp, f'{task}_random_head.pth')
        torch.save(dict(state_dict=model.state_dict()), head.checkpoint)
    if args.random_backbone:
        cfg.model.backbone.init_cfg = None
    cfg.model.backbone.with_cp = args.with_cp
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'
    cfg.train_cfg.update(max_iters=args.iters, val_interval=10**9, val_before_train=False)
    cfg.default_hooks.checkpoint.interval = 10**9
    cfg.default_hooks.logger.interval = 10
    for loader in cfg.train_dataloader.values():
        loader.num_workers = min(loader.get('num_workers', 0), 4)
    runner = Runner.from_cfg(cfg)
    timer = StepTimer()
    runner.register_hook(timer, priority='VERY_LOW')
    runner.train()

    device = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
    print(f'\n{args.config} on {device}; with_cp={args.with_cp}, amp={args.amp}; batches per task: '
          + ', '.join(f'{t} {cfg.train_dataloader[t].batch_size}' for t in cfg.train_dataloader))
    print('| task | steps timed | mean s/step | median s/step | peak memory GiB |')
    print('| --- | --- | --- | --- | --- |')
    expected = 0.0
    probs = cfg.train_cfg.task_probs
    for task, times in timer.times.items():
        kept = times[args.warmup:] or times
        peak = max(timer.peaks[task]) if timer.peaks[task] else float('nan')
        print(f'| {task} | {len(kept)} | {statistics.mean(kept):.3f} | {statistics.median(kept):.3f} | {peak:.1f} |')
        expected += probs[task] * statistics.mean(kept)
    print(f'expected s/iteration with task_probs {dict(probs)}: {expected:.3f}, so the paper\'s 50k iterations take '
          f'about {expected * 50000 / 3600:.1f} h (one process; under DDP all ranks step together, plus the LoRA '
          'gradient all-reduce)')


if __name__ == '__main__':
    main()
