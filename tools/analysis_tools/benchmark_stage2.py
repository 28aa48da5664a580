"""Stage-2 step time, FLOPs, MFU and peak memory per task, with a stage-2 config's real model, pipelines and batches.

    python tools/analysis_tools/benchmark_stage2.py configs/visft/stage2_joint.py --iters 40 \\
        --data-root data/synthetic --random-backbone --with-cp --frozen-dtype bfloat16 [--gpus 8]
    # CPU figure: eva-g, every task at 224 px, batch 1, with the bare-loop comparison
    python tools/analysis_tools/benchmark_stage2.py configs/visft/stage2_joint_eva_g.py --random-backbone \\
        --img-size 224 --batch-size 1 --iters 8 --warmup 2 --frozen-dtype bfloat16 --bare-loop

The images come from ``--data-root`` (the synthetic tree: the pipelines resize them to the config's resolutions,
so a step costs what it costs on COCO); heads are random (built with :meth:`ViSFT.build_head` and saved in the
stage-1 checkpoint format: a step costs the same with trained weights) and frozen as in training.

Prints per task and overall (weighted by ``task_probs``): seconds per step (after ``--warmup`` steps of that task;
data loading excluded), images/s, backbone tokens/s, the model FLOPs of a step (the backbone's analytic count of
:func:`~visft_mm.analysis.eva_flops.eva_step_flops`: forward + the backward really needed, no recompute;
the heads' counted by ``torch.utils.flop_counter`` on one extra step, backward as autograd runs it), achieved
TFLOP/s, MFU against ``--peak-tflops`` or the GPU's dense bf16 peak, hardware utilisation (recompute counted), the
measured peak memory (CUDA: ``max_memory_allocated``; CPU: the step's peak RSS, whole process) beside
:func:`~visft_mm.analysis.eva_memory.estimate_lora_step_memory`'s prediction (heads' activations not
modelled), and the projected wall time of the paper's stage 2.  On CUDA it also reports which SDPA kernel runs the
backbone's attention.  ``--bare-loop`` replays the timed batches in a plain PyTorch loop (preprocess, forward,
backward, clip, step) and prints the runner + task-sampling loop's overhead over it.
"""
import argparse
import os.path as osp
import statistics
import tempfile
import time
from collections import defaultdict

import torch
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import visft_mm  # noqa: F401
from visft_mm.datasets.captions import Vocabulary
from visft_mm.engine.launch import retarget_paths
from visft_mm.models import EVAViT, ViSFT
from visft_mm.analysis.eva_flops import StepFlops, eva_step_flops, token_grid
from visft_mm.analysis.eva_memory import estimate_lora_step_memory

# dense bf16 tensor-core peaks in TFLOP/s (no sparsity); V100 has no bf16: its fp16 peak
GPU_BF16_PEAK_TFLOPS = {'H200': 989.4, 'H100 PCIe': 756.0, 'H100 NVL': 835.0, 'H100': 989.4, 'A100': 312.0,
                        'V100': 125.0}
PAPER = dict(iterations=50000, gpus=8)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--data-root', default='data/synthetic', help='synthetic tree (make_synthetic_data.py)')
    parser.add_argument('--iters', type=int, default=40)
    parser.add_argument('--warmup', type=int, default=5, help='steps per task left out of the figures')
    parser.add_argument('--with-cp', action='store_true', help='gradient checkpointing in the backbone')
    parser.add_argument('--amp', action='store_true', help='bf16 autocast (AmpOptimWrapper)')
    parser.add_argument('--frozen-dtype', choices=sorted(EVAViT.frozen_dtypes), default=None,
                        help='model.backbone.frozen_dtype (bfloat16: frozen weights stored in bf16)')
    parser.add_argument('--random-backbone', action='store_true', help='no EVA-CLIP file: random weights')
    parser.add_argument('--img-size', type=int, default=None,
                        help='set every resize / crop / fixed pad of the pipelines and preprocessors to S x S')
    parser.add_argument('--batch-size', type=int, default=None, help='every task\'s batch size')
    parser.add_argument('--peak-tflops', type=float, default=None,
                        help='peak for MFU (default: the GPU\'s dense bf16 peak from the table; none on CPU)')
    parser.add_argument('--gpus', type=int, default=PAPER['gpus'], help='GPUs for the projected wall time')
    parser.add_argument('--bare-loop', action='store_true', help='compare with a plain PyTorch loop')
    parser.add_argument('--work-dir', default=None)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def device_peak_tflops(name: str):
    """The dense bf16 peak of a GPU named ``name`` (longest matching table key), or None."""
    for key in sorted(GPU_BF16_PEAK_TFLOPS, key=len, reverse=True):
        if key in name:
            return GPU_BF16_PEAK_TFLOPS[key]
    return None


def set_image_size(node, size: int):
    """Every ``scale`` / ``scales`` / ``crop_size`` / fixed-pad ``size`` in a config tree -> ``size`` x ``size``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ('scale', 'crop_size') and isinstance(value, (tuple, list)):
                node[key] = (size, size)
            elif key == 'scales':
                node[key] = [(size, size)]
            elif key == 'size' and node.get('type', '').endswith('BatchFixedShapePad'):
                node[key] = (size, size)
            else:
                set_image_size(value, size)
    elif isinstance(node, list):
        for item in node:
            set_image_size(item, size)


def rss_high_water_mark(reset: bool = False) -> int:
    """Peak RSS of this process since the last reset (Linux ``clear_refs``), in bytes."""
    if reset:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith('VmHWM:'))


class StepTimer(Hook):
    """Seconds (all hooks of the iteration included, data loading excluded), peak memory and the backbone's input
    shape of each training step, by task; keeps the batches for ``--bare-loop``."""

    def __init__(self, backbone, keep_batches: bool):
        self.times, self.peaks, self.shapes = defaultdict(list), defaultdict(list), {}
        self.batches = [] if keep_batches else None
        self.sequence = []  # (task, seconds) of every step, in order
        self._start = None
        backbone.register_forward_pre_hook(self._record_shape)
        self._shape = None

    def _record_shape(self, module, args):
        self._shape = tuple(args[0].shape)

    def start(self, data_batch):
        if self.batches is not None:
            self.batches.append(data_batch)
        if torch.cuda.is_available():
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        else:
            rss_high_water_mark(reset=True)
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        seconds = time.perf_counter() - self._start
        task = data_batch['task']
        self.peaks[task].append(torch.cuda.max_memory_allocated() if torch.cuda.is_available()
                                else rss_high_water_mark())
        self.times[task].append(seconds)
        self.sequence.append((task, seconds))
        self.shapes[task] = self._shape


class StepStart(Hook):
    """Starts the :class:`StepTimer` before every other hook of the iteration."""

    def __init__(self, timer: StepTimer):
        self.timer = timer

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.timer.start(data_batch)


def head_flops(runner, task: str, data_batch: dict) -> float:
    """FLOPs of the step outside the backbone (heads, losses), counted by torch on one training step."""
    from torch.utils.flop_counter import FlopCounterMode
    model = runner.model
    with FlopCounterMode(display=False) as counter:
        model.train_step(data_batch, runner.optim_wrapper)
    counts = counter.get_flop_counts()
    backbone = sum(sum(ops.values()) for name, ops in counts.items() if name.split('.')[-1] == 'backbone'
                   and name.count('.') == 1)
    return counter.get_total_flops() - backbone


def sdpa_kernel_report(backbone, dtype=torch.bfloat16) -> str:
    """Which kernel PyTorch's SDPA dispatch runs for this backbone's attention shape on this GPU."""
    from torch.profiler import ProfilerActivity, profile
    heads = backbone.arch['num_heads']
    head_dim = backbone.arch['embed_dims'] // heads
    q, k, v = (torch.randn(1, heads, 1025, head_dim, device='cuda', dtype=dtype, requires_grad=True)
               for _ in range(3))
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        torch.nn.functional.scaled_dot_product_attention(q, k, v).sum().backward()
        torch.cuda.synchronize()
    names = ' '.join(e.key.lower() for e in prof.key_averages())
    for kernel, marks in (('flash', ('flash',)), ('memory-efficient', ('efficient', 'fmha', 'mem_eff')),
                          ('cuDNN', ('cudnn',))):
        if any(m in names for m in marks):
            return f'{kernel} (bf16, head_dim {head_dim})'
    return f'MATH fallback (bf16, head_dim {head_dim}): no fused kernel was selected'


def bare_loop_seconds(runner, batches) -> list:
    """The same preprocess / forward / backward / clip / step on the same batches in a plain PyTorch loop: the
    seconds of each step."""
    model = runner.model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = runner.optim_wrapper.optimizer
    clip = (runner.optim_wrapper.clip_grad_kwargs or {}).get('max_norm')
    amp = getattr(runner.optim_wrapper, 'cast_dtype', None)
    device_type = 'cuda' if torch.cuda.is_available() else 'cpu'
    seconds = []
    for data_batch in batches:
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        start = time.perf_counter()
        data = model.data_preprocessor(data_batch, True)
        with torch.autocast(device_type, dtype=amp or torch.float32, enabled=amp is not None):
            losses = model(**data, mode='loss')
        loss, _ = model.parse_losses(losses)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(params, clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    return seconds


def build_cfg(args):
    coco_root = osp.join(args.data_root, 'coco')
    vocab_file = osp.join(coco_root, 'annotations', 'caption_vocab.json')
    if not osp.exists(vocab_file):
        Vocabulary.from_annotations(osp.join(coco_root, 'annotations', 'dataset_coco.json')).save(vocab_file)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg = Config(retarget_paths(cfg.to_dict(), 'data/coco', coco_root))  # vocab_file included
    tmp = tempfile.mkdtemp(prefix='visft_bench_')
    cfg.work_dir = args.work_dir or tmp
    if args.img_size:
        set_image_size(cfg.train_dataloader, args.img_size)
        set_image_size(cfg.model.heads, args.img_size)
    if args.batch_size:
        for loader in cfg.train_dataloader.values():
            loader.batch_size = args.batch_size
    # random heads in the stage-1 checkpoint format: a step costs the same with trained weights
    width = EVAViT._parse_arch(cfg.model.backbone.get('arch', 'eva-g'))['embed_dims']
    for task, head in cfg.model.heads.items():
        head.checkpoint = osp.join(tmp, f'{task}_random_head.pth')
        torch.save(dict(state_dict=ViSFT.build_head(head.model, width).state_dict()), head.checkpoint)
    if args.random_backbone:
        cfg.model.backbone.init_cfg = None
    cfg.model.backbone.with_cp = args.with_cp
    if args.frozen_dtype:
        cfg.model.backbone.frozen_dtype = args.frozen_dtype
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'
    cfg.train_cfg.update(max_iters=args.iters, val_interval=10**9, val_before_train=False)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None  # no validation at the last iteration
    cfg.default_hooks.checkpoint.update(interval=10**9, save_last=False)
    cfg.default_hooks.logger.interval = 10
    for loader in cfg.train_dataloader.values():
        loader.num_workers = min(loader.get('num_workers', 0), 4)
        if not loader.num_workers:
            loader.persistent_workers = False
    return cfg


def main():
    args = parse_args()
    init_default_scope('visft_mm')
    cfg = build_cfg(args)
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if hasattr(runner.model, 'module') else runner.model
    backbone = model.backbone
    timer = StepTimer(backbone, keep_batches=args.bare_loop)
    runner.register_hook(StepStart(timer), priority='VERY_HIGH')
    runner.register_hook(timer, priority='VERY_LOW')
    runner.train()

    on_gpu = torch.cuda.is_available()
    device = torch.cuda.get_device_name() if on_gpu else 'CPU'
    peak_tflops = args.peak_tflops or (device_peak_tflops(device) if on_gpu else None)
    frozen_dtype = str(backbone.frozen_dtype).replace('torch.', '')
    compute_dtype = 'bfloat16' if args.amp or frozen_dtype == 'bfloat16' else 'float32'
    lora = backbone.lora_cfg or {}
    lora_rank, lora_targets = lora.get('r', 0), len(lora.get('targets', ('q_proj', 'v_proj'))) if lora else 0
    head_params = {task: (sum(p.numel() for p in h.parameters() if not p.requires_grad),
                          sum(p.numel() for p in h.parameters() if p.requires_grad))
                   for task, h in model.heads.items()}
    print(f'\n{args.config} on {device} ({torch.get_num_threads()} CPU threads); arch {backbone.arch}, '
          f'with_cp={args.with_cp}, amp={args.amp}, frozen_dtype={frozen_dtype}, compute {compute_dtype}, LoRA '
          f'r={lora_rank} on {lora_targets} projections; peak for MFU: '
          f'{f"{peak_tflops} TFLOP/s" if peak_tflops else "none (pass --peak-tflops)"}')
    if on_gpu:
        print(f'SDPA kernel for the backbone attention: {sdpa_kernel_report(backbone)}')

    rows, probs = {}, cfg.train_cfg.task_probs
    for task, times in timer.times.items():
        kept = times[args.warmup:] or times
        B, _, H, W = timer.shapes[task]
        tokens = B * (1 + token_grid((H, W))[0] * token_grid((H, W))[1])
        flops = eva_step_flops(backbone.arch, (H, W), B, lora_rank, lora_targets, with_cp=args.with_cp)
        batch = next(b for b in timer.batches or [] if b['task'] == task) if timer.batches else None
        if batch is None:
            loader = runner.build_dataloader(cfg.train_dataloader[task])
            batch = dict(next(iter(loader)), task=task)
        heads = head_flops(runner, task, batch)
        flops = flops + StepFlops(heads, 0.0)  # the heads' forward + backward as counted, in one number
        frozen_head, trainable_head = head_params[task]
        estimate = estimate_lora_step_memory(
            backbone.arch, (H, W), B, lora_rank or 0, lora_targets, frozen_dtype=frozen_dtype,
            compute_dtype=compute_dtype, with_cp=args.with_cp,
            frozen_head_params=sum(f for f, _ in head_params.values()),
            trainable_head_params=sum(t for _, t in head_params.values()))
        rows[task] = dict(steps=len(kept), mean=statistics.mean(kept), median=statistics.median(kept), batch=B,
                          tokens=tokens, size=(H, W), flops=flops, peak=max(timer.peaks[task][args.warmup:]
                                                                          or timer.peaks[task]),
                          estimate=estimate)
    print('| task | input | steps | mean s/step | median s/step | images/s | tokens/s | model TFLOP/step | '
          'TFLOP/s | MFU | HFU | peak GiB (measured) | peak GiB (estimate) |')
    print('| --- ' * 13 + '|')
    expected = dict(seconds=0.0, images=0.0, tokens=0.0, model=0.0, hardware=0.0)
    measured_prob = sum(probs[task] for task in rows)
    for task, r in rows.items():
        p = probs[task] / measured_prob  # renormalised over the tasks that were drawn
        expected['seconds'] += p * r['mean']
        expected['images'] += p * r['batch']
        expected['tokens'] += p * r['tokens']
        expected['model'] += p * r['flops'].model
        expected['hardware'] += p * r['flops'].hardware
        print(row_line(task, f'{r["batch"]}x{r["size"][0]}x{r["size"][1]}', r['steps'], r['mean'], r['median'],
                       r['batch'], r['tokens'], r['flops'].model, r['flops'].hardware, peak_tflops,
                       f'{r["peak"] / 2**30:.2f}', str(r['estimate'])))
    print(row_line(f'overall ({dict(probs)})', 'mix', sum(r['steps'] for r in rows.values()), expected['seconds'],
                   float('nan'), expected['images'], expected['tokens'], expected['model'], expected['hardware'],
                   peak_tflops, '-', '-'))
    missing = [task for task in probs if probs[task] > 0 and task not in rows]
    if missing:
        print(f'WARNING: {missing} never drawn in {args.iters} iterations: the overall row and the projection '
              'use the drawn tasks only (renormalised); run more --iters')
    if not on_gpu:
        print('CPU peak: the whole process\'s RSS during the step (Python, libraries and data included); the '
              'estimate counts the model\'s tensors only')
    paper_gpu_seconds = PAPER['iterations'] * PAPER['gpus'] * expected['seconds']
    print(f'projected stage 2 of the paper ({PAPER["iterations"]} iterations of {PAPER["gpus"]} per-GPU batches, '
          f'task mix {dict(probs)}): {expected["seconds"]:.3f} s per per-GPU step -> '
          f'{paper_gpu_seconds / 3600:.1f} device-hours, {paper_gpu_seconds / args.gpus / 3600:.1f} h wall on '
          f'{args.gpus} x {device} (perfect scaling, the LoRA-gradient all-reduce and data loading not counted)')

    if args.bare_loop:
        bare = bare_loop_seconds(runner, timer.batches)
        seen, kept = defaultdict(int), []
        for i, (task, _) in enumerate(timer.sequence):
            seen[task] += 1
            if seen[task] > args.warmup:
                kept.append(i)
        kept = kept or list(range(len(bare)))
        ours = sum(timer.sequence[i][1] for i in kept)
        theirs = sum(bare[i] for i in kept)
        print('steps (task, runner s, bare s): ' + ', '.join(
            f'({task[:3]} {seconds:.2f} {bare[i]:.2f})' for i, (task, seconds) in enumerate(timer.sequence)))
        print(f'runner + task-sampling loop: {ours:.2f} s for {len(kept)} steps (each task\'s first {args.warmup} '
              f'left out); a bare PyTorch loop on the same batches: {theirs:.2f} s; overhead '
              f'{100 * (ours / theirs - 1):+.1f}% (data loading excluded from both)')


def row_line(task, size, steps, mean, median, images, tokens, model_flops, hardware_flops, peak_tflops, peak,
             estimate):
    achieved = model_flops / mean / 1e12
    mfu = f'{100 * achieved / peak_tflops:.1f}%' if peak_tflops else '-'
    hfu = f'{100 * hardware_flops / mean / 1e12 / peak_tflops:.1f}%' if peak_tflops else '-'
    return (f'| {task} | {size} | {steps} | {mean:.3f} | {median:.3f} | {images / mean:.2f} | {tokens / mean:.0f} | '
            f'{model_flops / 1e12:.3f} | {achieved:.3f} | {mfu} | {hfu} | {peak} | {estimate} |')


if __name__ == '__main__':
    main()
