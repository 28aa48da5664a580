"""Forward+backward throughput and peak memory of EVAViT, with/without LoRA and checkpointing, against timm's Eva.

    python tools/analysis_tools/benchmark_backbone.py --arch tiny --img-size 224 --batch-size 8
    python tools/analysis_tools/benchmark_backbone.py --arch eva-g --img-size 672 --batch-size 1 \\
        --device cuda --dtype bf16 --variants lora lora_cp

Variants: ``full`` (every weight trains), ``lora`` (frozen base + LoRA r=64 on q, v: stage 2), ``lora_cp`` (same
with per-block checkpointing), ``lora_bf16`` / ``lora_bf16_cp`` (frozen weights stored in bf16:
``EVAViT(frozen_dtype='bfloat16')``, bf16 compute whatever ``--dtype``), ``lora_compiled`` (``lora`` with every
block ``torch.compile``d), ``frozen`` (no grads: stage-1 feature extraction, forward only), ``timm_full`` (timm's
Eva with the same shape, every weight training; ``timm / ours`` compares it with ``full``).

Each variant runs in its own process so that its memory is its own: on CUDA the allocator's peak; on CPU the peak
RSS of the timed steps (Linux ``clear_refs`` resets the high-water mark after the warm-up, so model construction
does not count) and, for reference, the process's lifetime peak RSS.  FLOPs are the analytic ones of
:func:`visft_mm.analysis.eva_flops.eva_step_flops` (model FLOPs: no recompute); MFU against --peak-tflops.
"""
import argparse
import multiprocessing as mp
import resource
import time

import torch

VARIANTS = ('full', 'lora', 'lora_cp', 'lora_bf16', 'lora_bf16_cp', 'lora_compiled', 'frozen', 'timm_full')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--arch', default='tiny')
    parser.add_argument('--num-layers', type=int, default=None,
                        help="the arch's blocks, fewer of them (e.g. eva-g's width at a CPU-sized depth)")
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--dtype', choices=('fp32', 'bf16'), default='fp32', help='bf16 = autocast')
    parser.add_argument('--variants', nargs='+', choices=VARIANTS, default=['full', 'lora', 'lora_cp', 'timm_full'])
    parser.add_argument('--lora-rank', type=int, default=64)
    parser.add_argument('--interleave', action='store_true',
                        help='run the variants in one process, alternating their steps (a fairer time ratio on a '
                             'shared machine; memory figures are then not per variant)')
    parser.add_argument('--peak-tflops', type=float, default=989.0, help='H100/H200 SXM dense bf16: 989')
    return parser.parse_args(argv)


def build(variant: str, args):
    from visft_mm.models import EVAViT
    arch = EVAViT._parse_arch(args.arch)
    if args.num_layers:
        arch['num_layers'] = args.num_layers
    if variant == 'timm_full':
        from timm.models.eva import Eva
        model = Eva(img_size=args.img_size, patch_size=14, embed_dim=arch['embed_dims'], depth=arch['num_layers'],
                    num_heads=arch['num_heads'], mlp_ratio=arch['feedforward_channels'] / arch['embed_dims'],
                    use_post_norm=arch['post_norm'], global_pool='token', num_classes=0)
        return model, model.forward_features, arch
    lora = dict(r=args.lora_rank, alpha=1) if variant.startswith('lora') else None
    model = EVAViT(arch, img_size=args.img_size, out_type='raw', frozen=variant != 'full', lora=lora,
                   with_cp=variant.endswith('_cp'), frozen_dtype='bfloat16' if 'bf16' in variant else 'float32')
    if variant == 'lora_compiled':
        for block in model.blocks:
            block.compile()
    return model, lambda x: model(x)[0], arch


def rss_high_water_mark(reset: bool = False) -> int:
    """This process's peak RSS in bytes since the last reset (Linux), or its lifetime peak elsewhere."""
    try:
        if reset:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
        with open('/proc/self/status') as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith('VmHWM:'))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(variant: str, args) -> dict:
    torch.manual_seed(0)
    device = torch.device(args.device)
    model, forward, arch = build(variant, args)
    model.to(device).train()
    x = torch.randn(args.batch_size, 3, args.img_size, args.img_size, device=device)
    trains = any(p.requires_grad for p in model.parameters())
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.dtype == 'bf16')

    def step():
        with autocast:
            out = forward(x)
        if trains:
            out.float().mean().backward()
            model.zero_grad(set_to_none=True)

    for _ in range(args.warmup):
        step()
    lifetime_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rss_high_water_mark(reset=True)
    if device.type == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(args.iters):
        step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    seconds = (time.perf_counter() - start) / args.iters
    peak = torch.cuda.max_memory_allocated() if device.type == 'cuda' else rss_high_water_mark()
    from visft_mm.analysis.eva_flops import eva_step_flops
    trainable = 'all' if variant in ('full', 'timm_full') else 'lora' if trains else 'none'
    flops = eva_step_flops(arch, args.img_size, args.batch_size, lora_rank=args.lora_rank if trains else 0,
                           trainable=trainable).model
    return dict(variant=variant, ms=seconds * 1e3, img_s=args.batch_size / seconds, peak_gib=peak / 2 ** 30,
                lifetime_gib=lifetime_peak / 2 ** 30, tflops=flops / seconds / 1e12,
                trainable=sum(p.numel() for p in model.parameters() if p.requires_grad))


def _measure_star(packed):
    return measure(*packed)


def interleaved_times(args) -> dict:
    """Seconds per step of each variant, alternating the variants step by step: the minimum and the median over
    ``--iters`` rounds (after ``--warmup`` rounds)."""
    import statistics
    torch.manual_seed(0)
    steps = {}
    x = torch.randn(args.batch_size, 3, args.img_size, args.img_size)
    for variant in args.variants:
        model, forward, _ = build(variant, args)
        model.train()
        autocast = torch.autocast('cpu', dtype=torch.bfloat16, enabled=args.dtype == 'bf16')

        def step(model=model, forward=forward, autocast=autocast):
            with autocast:
                out = forward(x)
            out.float().mean().backward()
            model.zero_grad(set_to_none=True)
        steps[variant] = step
    times = {variant: [] for variant in steps}
    for round_ in range(args.warmup + args.iters):
        for variant, step in steps.items():
            start = time.perf_counter()
            step()
            if round_ >= args.warmup:
                times[variant].append(time.perf_counter() - start)
    return {v: dict(min=min(t), median=statistics.median(t)) for v, t in times.items()}


def main(argv=None):
    args = parse_args(argv)
    print(f'arch={args.arch} layers={args.num_layers or "all"} img={args.img_size} batch={args.batch_size} device={args.device} dtype={args.dtype} '
          f'iters={args.iters} (+{args.warmup} warm-up)  torch {torch.__version__}, {torch.get_num_threads()} threads')
    if args.interleave:
        times = interleaved_times(args)
        for variant, t in times.items():
            print(f'{variant:13s} min {t["min"] * 1e3:9.1f} ms  median {t["median"] * 1e3:9.1f} ms')
        if 'full' in times and 'timm_full' in times:
            print(f'ours / timm forward+backward time (min over alternating rounds): '
                  f'{times["full"]["min"] / times["timm_full"]["min"]:.3f}, median '
                  f'{times["full"]["median"] / times["timm_full"]["median"]:.3f} (<= 1.0: not slower than timm)')
        return times
    rows = []
    ctx = mp.get_context('spawn')
    for variant in args.variants:
        with ctx.Pool(1) as pool:  # own process: own peak memory
            rows.append(pool.apply(measure, (variant, args)))
        print(f'  done: {rows[-1]}', flush=True)
    on_gpu = args.device.startswith('cuda')
    peak_name = 'peak GiB' if on_gpu else 'step RSS GiB'
    print(f'{"variant":13s} {"ms/iter":>9s} {"img/s":>8s} {peak_name:>13s} {"life RSS GiB":>13s} {"TFLOP/s":>8s}'
          f'{"  MFU":>7s} {"trainable":>12s}')
    for row in rows:
        mfu = f'{100 * row["tflops"] / args.peak_tflops:6.1f}%' if on_gpu else '     - '
        print(f'{row["variant"]:13s} {row["ms"]:9.1f} {row["img_s"]:8.2f} {row["peak_gib"]:13.2f} '
              f'{row["lifetime_gib"]:13.2f} {row["tflops"]:8.3f} {mfu} {row["trainable"]:12,d}')
    by_name = {row['variant']: row for row in rows}
    if 'full' in by_name and 'timm_full' in by_name:
        print(f'ours / timm forward+backward time: {by_name["full"]["ms"] / by_name["timm_full"]["ms"]:.3f} '
              '(<= 1.0: not slower than timm)')
    for variant in ('lora_bf16', 'lora_bf16_cp', 'lora_compiled'):
        base = by_name.get('lora_cp' if variant.endswith('_cp') else 'lora')
        if variant in by_name and base:
            row = by_name[variant]
            print(f'{variant} / {base["variant"]}: time {row["ms"] / base["ms"]:.3f}, step peak memory '
                  f'{row["peak_gib"] / base["peak_gib"]:.3f}, lifetime peak {row["lifetime_gib"] / base["lifetime_gib"]:.3f}')
    return rows


if __name__ == '__main__':
    main()
