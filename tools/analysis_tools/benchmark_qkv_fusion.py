"""Is one fused q/k/v GEMM over the frozen weights faster than EVAAttention's three projections?

    python tools/analysis_tools/benchmark_qkv_fusion.py --arch eva-g --tokens 257 --dtype bfloat16 [--device cuda]

Times forward + input-gradient backward (the frozen projections' stage-2 work) of the three ``F.linear`` calls
against one ``F.linear`` over the concatenated weight (built once) split in three, and checks that both give the
same outputs.  EVAViT keeps the three projections: the fused weight would be a second copy of 3 x D^2 weights per
block (or q/k/v views into one buffer that ``.to()`` and peft's merge silently break), and it only pays if it wins
here (it did not on the CPU the figures in the report were taken on).
"""
import argparse
import time

import torch
import torch.nn.functional as F

from visft_mm.models import EVAViT


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--arch', default='eva-g')
    parser.add_argument('--tokens', type=int, default=257, help='batch x tokens per image')
    parser.add_argument('--dtype', choices=('float32', 'bfloat16'), default='bfloat16')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=3, help='alternating rounds (the figure is the best)')
    return parser.parse_args()


def main():
    args = parse_args()
    D = EVAViT._parse_arch(args.arch)['embed_dims']
    dtype, device = getattr(torch, args.dtype), torch.device(args.device)
    torch.manual_seed(0)
    weights = [torch.randn(D, D, dtype=dtype, device=device) * D ** -0.5 for _ in range(3)]
    fused_weight = torch.cat(weights)

    def plain(x):
        return [F.linear(x, w) for w in weights]

    def fused(x):
        return F.linear(x, fused_weight).chunk(3, dim=-1)

    x = torch.randn(args.tokens, D, dtype=dtype, device=device, requires_grad=True)
    for a, b in zip(plain(x), fused(x)):
        tol = dict(atol=1e-2, rtol=1e-2) if dtype == torch.bfloat16 else dict(atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(a, b, **tol)

    def timed(fn):
        for _ in range(3):
            sum(o.float().sum() for o in fn(x)).backward()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(args.iters):
            sum(o.float().sum() for o in fn(x)).backward()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        return (time.perf_counter() - start) / args.iters * 1e3

    best = dict(plain=float('inf'), fused=float('inf'))
    for _ in range(args.rounds):
        for name, fn in (('plain', plain), ('fused', fused)):
            best[name] = min(best[name], timed(fn))
    print(f'{args.arch} D={D} tokens={args.tokens} {args.dtype} on {args.device} '
          f'({torch.get_num_threads()} threads): three q/k/v GEMMs {best["plain"]:.2f} ms, one fused GEMM '
          f'{best["fused"]:.2f} ms (forward + input-gradient backward); fused / plain {best["fused"] / best["plain"]:.3f}')


if __name__ == '__main__':
    main()
