"""One-GPU check of the stage-2 backbone step: eva-g and eva-e LoRA steps at the reference resolutions, bf16,
checkpointing, one task's image size and per-GPU batch at a time.  Run it through ``gpu_check.sh`` on the GPU.

    python tools/analysis_tools/gpu_check.py                      # on one H100 / H200
    python tools/analysis_tools/gpu_check.py --device cpu --archs tiny --dry-run   # the CPU dry run (the suite)

It needs torch, mmengine, mmcv-lite (no compiled ops), mmpretrain and peft only: when the full visft_mm import fails
for want of mmdet / mmcv's ops it loads just the backbone modules (``visft_mm.models.backbones.eva_vit``, the
LoRA, ``eva_flops``, ``eva_memory``) without the package's registration imports.  Each step is
``benchmark_backbone.measure('lora_bf16_cp', ...)``: frozen weights stored in bf16, bf16 autocast, per-block
checkpointing, LoRA r=64 on q, v, forward + backward (no optimizer step).  Per task it prints images/s, the
model TFLOP/s of :func:`eva_step_flops` (forward + the input-gradient backward a LoRA step needs, no recompute),
MFU against ``--peak-tflops`` (989: H100 / H200 SXM dense bf16), the peak memory beside
:func:`estimate_lora_step_memory`'s prediction; per arch the SDPA kernel the step ran (CUDA profiler) and the
projected wall time of the paper's stage 2 (50k iterations; each GPU runs one task per iteration, so 8 GPUs take
one GPU's expected step time per iteration: ``sum(task_probs * step time)``).

Left out: the heads (DETR, Mask2Former: mmdet, and Mask2Former's pixel decoder needs mmcv's compiled
MultiScaleDeformableAttention; the LSTM caption head: visft_mm's registration imports mmdet), the optimizer step
and the data pipeline, and the gradient all-reduce / FSDP traffic between GPUs.
"""
import argparse
import os.path as osp
import sys
import time
import types

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
# the reference training sizes (README: detection long side <= 672, segmentation LSJ 1024 crop, captions 256 px)
# and the paper's per-GPU batches; square images (detection's are at most 672 x 672)
TASKS = dict(caption=(256, 8), detection=(672, 1), segmentation=(1024, 1))
DRY_RUN_TASKS = dict(caption=(56, 2), detection=(84, 1), segmentation=(112, 1))
TASK_PROBS = dict(caption=0.4, detection=0.3, segmentation=0.3)  # configs/_base_/schedules/stage2_50k.py
PAPER = dict(iterations=50000, gpus=8)
VARIANT = 'lora_bf16_cp'


def import_backbone_modules():
    """The backbone modules, through ``import visft_mm`` where mmdet and mmcv's ops are installed, else alone."""
    try:
        import visft_mm.models  # noqa: F401
        how = 'visft_mm (full import)'
    except ImportError as e:
        # what imported before the failure stays (its registrations are done); the packages whose __init__
        # failed become namespaces without it
        for name, path in (('visft_mm', 'visft_mm'), ('visft_mm.models', 'visft_mm/models'),
                           ('visft_mm.models.backbones', 'visft_mm/models/backbones'),
                           ('visft_mm.analysis', 'visft_mm/analysis')):
            if name not in sys.modules:
                package = types.ModuleType(name)
                package.__path__ = [osp.join(ROOT, path)]
                sys.modules[name] = package
        from visft_mm.models.backbones.eva_vit import EVAViT
        sys.modules['visft_mm.models'].EVAViT = EVAViT  # what benchmark_backbone.build imports
        how = f'backbone modules alone ({type(e).__name__}: {e})'
    from visft_mm.analysis.eva_flops import eva_step_flops  # noqa: F401
    from visft_mm.analysis.eva_memory import estimate_lora_step_memory  # noqa: F401
    return how


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--archs', nargs='+', default=['eva-g', 'eva-e'])
    parser.add_argument('--tasks', nargs='+', choices=sorted(TASKS), default=list(TASKS))
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--lora-rank', type=int, default=64)
    parser.add_argument('--peak-tflops', type=float, default=989.0, help='dense bf16 peak (H100 / H200 SXM: 989)')
    parser.add_argument('--dry-run', action='store_true', help='CPU-sized images (with --archs tiny): the suite')
    return parser.parse_args(argv)


def step_args(args, arch: str, img_size: int, batch: int, iters: int, warmup: int) -> argparse.Namespace:
    """The arguments ``benchmark_backbone.measure`` reads."""
    return argparse.Namespace(arch=arch, num_layers=None, img_size=img_size, batch_size=batch, iters=iters,
                              warmup=warmup, device=args.device, dtype='bf16', lora_rank=args.lora_rank)


def sdpa_kernels(measure, args, arch: str, img_size: int, batch: int) -> str:
    """The attention kernels one CUDA step of this shape ran (profiler kernel names)."""
    import torch
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        with torch.device(args.device):
            measure(VARIANT, step_args(args, arch, img_size, batch, iters=1, warmup=0))
    names = {e.key for e in prof.key_averages()}
    found = sorted({kind for name in names for kind, marks in (
        ('flash', ('flash',)), ('memory-efficient', ('efficient', 'fmha', 'mem_eff')), ('cuDNN', ('cudnn_sdpa',
                                                                                               'cudnn'))
    ) if any(m in name.lower() for m in marks)})
    return ', '.join(found) or 'no fused attention kernel (math fallback)'


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    how = import_backbone_modules()
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    import torch
    from benchmark_backbone import measure
    from visft_mm.analysis.eva_memory import estimate_lora_step_memory
    from visft_mm.models.backbones.eva_vit import EVAViT
    cuda = args.device.startswith('cuda')
    device = torch.cuda.get_device_name() if cuda else 'cpu'
    print(f'device {device}, torch {torch.__version__}, python {sys.version.split()[0]}, visft_mm: {how}')
    print(f'step: {VARIANT} (frozen bf16, bf16 autocast, checkpointing), LoRA r={args.lora_rank} on q, v; MFU vs '
          f'{args.peak_tflops:g} TFLOP/s')
    tasks = DRY_RUN_TASKS if args.dry_run else TASKS
    print(f'{"arch":<7} {"task":<13} {"px":>5} {"batch":>5} {"ms/step":>9} {"img/s":>8} {"TFLOP/s":>8} {"MFU":>6} '
          f'{"peak GiB":>9} {"est. GiB":>9}')
    results = {}
    for arch in args.archs:
        arch_dict = EVAViT._parse_arch(arch)
        expected_ms = 0.0
        for task in args.tasks:
            img_size, batch = tasks[task]
            with torch.device(args.device):  # built on the device: no CPU init of 4.4 B weights
                r = measure(VARIANT, step_args(args, arch, img_size, batch, args.iters, args.warmup))
            estimate = estimate_lora_step_memory(arch_dict, img_size, batch, lora_rank=args.lora_rank,
                                                 frozen_dtype='bfloat16', with_cp=True)
            mfu = r['tflops'] / args.peak_tflops
            results[(arch, task)] = dict(r, mfu=mfu, estimate_gib=estimate.total / 2**30)
            expected_ms += TASK_PROBS[task] / sum(TASK_PROBS[t] for t in args.tasks) * r['ms']
            print(f'{arch:<7} {task:<13} {img_size:>5} {batch:>5} {r["ms"]:>9.1f} {r["img_s"]:>8.2f} '
                  f'{r["tflops"]:>8.2f} {mfu:>6.1%} {r["peak_gib"]:>9.2f} {estimate.total / 2**30:>9.2f}')
            if cuda:
                torch.cuda.empty_cache()
        hours = PAPER['iterations'] * expected_ms / 1e3 / 3600
        print(f'{arch}: expected step {expected_ms:.1f} ms (task_probs {TASK_PROBS}); stage 2, '
              f'{PAPER["iterations"]} iterations on {PAPER["gpus"]} GPUs: {hours:.2f} h of backbone steps '
              '(heads, optimizer, data and communication not included)')
        if cuda:
            img_size, batch = tasks['detection']
            print(f'{arch}: SDPA kernels in a step at {img_size} px: '
                  f'{sdpa_kernels(measure, args, arch, img_size, batch)}')
    print(f'gpu_check took {time.perf_counter() - start:.0f} s')
    return results


if __name__ == '__main__':
    main()
