"""The analytic FLOP counter against a hand count and torch's own counter; the memory estimator against the
measured peak of a real CPU step."""
import os

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from visft_mm.models import EVAViT
from visft_mm.analysis.eva_flops import eva_step_flops
from visft_mm.analysis.eva_memory import estimate_lora_step_memory, eva_param_counts
from visft_mm.testing.memory_probe import measure_lora_step_peaks

ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64, post_norm=False)


def test_flops_of_a_two_block_arch_match_a_hand_count():
    # 42 x 28 px -> a 3 x 2 patch grid -> N = 7 tokens; batch 2 -> T = 14; D 32, F 64, LoRA r 4 on q and v
    T, N, B, D, F, r = 14, 7, 2, 32, 64, 4
    mm = lambda m, k, n: 2 * m * k * n  # noqa: E731  FLOPs of an (m x k) @ (k x n) product
    block = dict(q=mm(T, D, D), k=mm(T, D, D), v=mm(T, D, D), scores=B * mm(N, D, N), mix=B * mm(N, N, D),
                 proj=mm(T, D, D), fc1=mm(T, D, F), fc2=mm(T, F, D), lora_a=2 * mm(T, D, r), lora_b=2 * mm(T, r, D))
    forward = mm(B * 6, 3 * 14 * 14, D) + 2 * sum(block.values())
    # block 1: dX of every linear, dQ dK dV and the scores' gradient, LoRA dX of A and B and dA, dB
    upper = (block['q'] + block['k'] + block['v'] + 2 * (block['scores'] + block['mix']) + block['proj']
             + block['fc1'] + block['fc2'] + 2 * (block['lora_a'] + block['lora_b']))
    # block 0: its input needs no gradient: no dX through q, k, v or LoRA-A, no dK
    first = (1.5 * (block['scores'] + block['mix']) + block['proj'] + block['fc1'] + block['fc2']
             + block['lora_a'] + 2 * block['lora_b'])
    flops = eva_step_flops(ARCH, (28, 42), 2, lora_rank=r)
    assert flops.forward == forward
    assert flops.backward == first + upper
    assert flops.recompute == 0 and flops.model == flops.hardware
    with_cp = eva_step_flops(ARCH, (28, 42), 2, lora_rank=r, with_cp=True)
    assert with_cp.model == flops.model and with_cp.recompute == 2 * sum(block.values())
    assert eva_step_flops(ARCH, (28, 42), 2, trainable='all').backward == 2 * eva_step_flops(
        ARCH, (28, 42), 2, trainable='none').forward


def test_forward_flops_match_torch_flop_counter():
    from torch.nn.attention import SDPBackend, sdpa_kernel
    model = EVAViT(ARCH, out_type='raw', frozen=True, lora=dict(r=4, alpha=1)).eval()
    # the math backend: torch's counter has no formula for the CPU flash kernel, it counts the math one's bmm
    with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(torch.randn(2, 3, 28, 42))
    assert counter.get_total_flops() == eva_step_flops(ARCH, (28, 42), 2, lora_rank=4, trainable='none').forward


@pytest.mark.skipif(not os.path.exists('/proc/self/clear_refs'), reason='needs Linux /proc/self/clear_refs')
def test_memory_estimate_within_20_percent_of_a_measured_cpu_step():
    arch = dict(embed_dims=384, num_layers=4, num_heads=6, feedforward_channels=1536, post_norm=False)
    configs = [dict(arch=arch, img_size=336, batch=1, lora_rank=8, frozen_dtype='float32', compute_dtype='float32',
                    with_cp=False),
               dict(arch=arch, img_size=336, batch=2, lora_rank=8, frozen_dtype='bfloat16',
                    compute_dtype='bfloat16', with_cp=True)]
    for cfg, measured in zip(configs, measure_lora_step_peaks(configs)):
        estimate = estimate_lora_step_memory(cfg['arch'], cfg['img_size'], cfg['batch'], cfg['lora_rank'],
                                             frozen_dtype=cfg['frozen_dtype'], compute_dtype=cfg['compute_dtype'],
                                             with_cp=cfg['with_cp'])
        assert estimate.total == pytest.approx(measured['peak'], rel=0.2), (cfg, measured, str(estimate))


@pytest.mark.parametrize('arch, frozen_gb', [('eva-g', 2.0), ('eva-e', 8.7)])
def test_estimator_counts_the_models_parameters_by_storage(arch, frozen_gb):
    with torch.device('meta'):
        model = EVAViT(arch, frozen=True, lora=dict(r=64, alpha=1), frozen_dtype='bfloat16')
    by_dtype = {}
    for name, p in model.named_parameters():
        group = 'lora' if '.lora_' in name else 'block_linear' if p.dtype == torch.bfloat16 else 'other'
        by_dtype[group] = by_dtype.get(group, 0) + p.numel()
    assert by_dtype == eva_param_counts(EVAViT.arch_zoo[arch], lora_rank=64)
    estimate = estimate_lora_step_memory(EVAViT.arch_zoo[arch], 224, 1, 64, frozen_dtype='bfloat16')
    assert estimate.frozen_weights / 1e9 == pytest.approx(frozen_gb, abs=0.05)
