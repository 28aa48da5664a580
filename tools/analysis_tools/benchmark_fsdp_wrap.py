"""Gradient memory of a LoRA-trained EVAViT under FSDP (use_orig_params=True): one unit per block, against
visft_mm's ``trainable_apart_wrap_policy`` (frozen and trainable weights never share a unit; pytorch #104690).

    python tools/analysis_tools/benchmark_fsdp_wrap.py --arch eva-g --num-layers 4 --img-size 56

One process, a one-rank gloo group, CPU.  Prints, per policy: the FSDP units, the elements of the flat
parameters that train, the gradient elements after one forward + backward (what the optimizer step and the
reduce-scatter see), the trainable (LoRA) elements, and the step's peak-RSS increase.  On N ranks each figure is
divided by N (the shards), the ratio stays.
"""
import argparse
import os
import resource
from functools import partial


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--arch', default='tiny')
    parser.add_argument('--num-layers', type=int, default=None)
    parser.add_argument('--img-size', type=int, default=56)
    parser.add_argument('--batch-size', type=int, default=2)
    parser.add_argument('--lora-rank', type=int, default=64)
    parser.add_argument('--policies', nargs='+', default=['block', 'trainable_apart'],
                        choices=['block', 'trainable_apart'])
    return parser.parse_args(argv)


def measure(args, policy_name: str) -> dict:
    import torch
    from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
    from torch.distributed.fsdp.wrap import transformer_auto_wrap_policy

    from visft_mm.engine.strategies import trainable_apart_wrap_policy
    from visft_mm.models.backbones import EVAViT
    from visft_mm.models.backbones.eva_vit import EVABlock
    arch = dict(EVAViT.arch_zoo[args.arch]) if args.arch in EVAViT.arch_zoo else args.arch
    if args.num_layers:
        arch['num_layers'] = args.num_layers
    torch.manual_seed(0)
    model = EVAViT(arch=arch, img_size=args.img_size, lora=dict(r=args.lora_rank, alpha=1))
    policy = (partial(transformer_auto_wrap_policy, transformer_layer_cls={EVABlock}) if policy_name == 'block'
              else trainable_apart_wrap_policy)
    wrapped = FSDP(model, device_id='cpu', use_orig_params=True, auto_wrap_policy=policy)
    units = FSDP.fsdp_modules(wrapped)
    flats = [u._flat_param for u in units if getattr(u, '_flat_param', None) is not None]
    x = torch.randn(args.batch_size, 3, args.img_size, args.img_size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = wrapped(x)
    (out[0] if isinstance(out, (list, tuple)) else out).float().pow(2).mean().backward()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return dict(units=len(units), trainable_flat=sum(f.numel() for f in flats if f.requires_grad),
                grad=sum(f.grad.numel() for f in flats if f.grad is not None),
                lora=sum(p.numel() for p in model.parameters() if p.requires_grad),
                total=sum(f.numel() for f in flats), rss_mib=(after - before) / 1024)


def main(argv=None):
    args = parse_args(argv)
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    os.environ.setdefault('MASTER_PORT', str(29600 + os.getpid() % 1000))
    import torch.distributed as dist
    import visft_mm  # noqa: F401
    dist.init_process_group('gloo', rank=0, world_size=1)
    print(f'arch {args.arch} (layers {args.num_layers or "all"}), LoRA r={args.lora_rank} on q, v, '
          f'image {args.img_size}, batch {args.batch_size}')
    print(f'{"policy":<16} {"units":>6} {"params":>12} {"LoRA":>10} {"train. flat":>12} {"grad elems":>12} '
          f'{"grad MiB":>9} {"step RSS +MiB":>14}')
    for name in args.policies:
        r = measure(args, name)
        print(f'{name:<16} {r["units"]:>6} {r["total"]:>12,} {r["lora"]:>10,} {r["trainable_flat"]:>12,} '
              f'{r["grad"]:>12,} {r["grad"] * 4 / 2**20:>9.1f} {r["rss_mib"]:>14.1f}')
    dist.destroy_process_group()


if __name__ == '__main__':
    main()
