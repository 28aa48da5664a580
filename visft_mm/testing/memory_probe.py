"""Peak memory of one EVA-ViT LoRA training step on CPU, measured in a fresh process (test / benchmark helper).

Python's tracemalloc does not see torch's allocations, and a process's lifetime peak RSS includes the model's
construction, so the step runs in its own interpreter: Linux's ``/proc/self/clear_refs`` resets the RSS high-water
mark after two warm-up steps (optimizer states allocated, oneDNN primitives created), and the figure is the
high-water mark of a third step minus the RSS before the model was built (after a warm-up step of a one-block
model, so that lazily created state does not count).  glibc is told to serve every
allocation above 64 KiB with mmap, so that freed activations go back to the system instead of staying in the heap.
"""
import json
import os
import subprocess
import sys

_STEP = r'''
import gc, json, sys, torch
torch.set_num_threads(1)
from visft_mm.models import EVAViT

def status(key):
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key + ':'))

def measure(cfg):
    def build(num_layers):
        return EVAViT(dict(cfg['arch'], num_layers=num_layers), img_size=cfg['img_size'], out_type='raw',
                      frozen=True, lora=dict(r=cfg['lora_rank'], alpha=1), with_cp=cfg['with_cp'],
                      frozen_dtype=cfg['frozen_dtype'])
    amp = cfg['compute_dtype'] == 'bfloat16' and cfg['frozen_dtype'] == 'float32'
    def run(model, steps):
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        x = torch.randn(cfg['batch'], 3, cfg['img_size'], cfg['img_size'])
        for _ in range(steps):
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=amp):
                out = model(x)[0]
            out.float().square().mean().backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
    torch.manual_seed(0)
    run(build(1), 2)  # lazily created state (thread pools, oneDNN kernels, autograd engine) is not the step's
    gc.collect()
    base = status('VmRSS')
    model = build(cfg['arch']['num_layers'])
    run(model, 2)
    gc.collect()
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')
    before = status('VmRSS')
    run(model, 1)
    return dict(peak=status('VmHWM') - base, resident_before=before - base)

print(json.dumps([measure(cfg) for cfg in json.loads(sys.argv[1])]))
'''


def measure_lora_step_peaks(configs) -> list:
    """For each config (``dict(arch, img_size, batch, lora_rank, frozen_dtype, compute_dtype, with_cp)``), one step's
    ``dict(peak=bytes, resident_before=bytes)``, relative to the RSS before its model was built; one process for
    all (each model is freed before the next one's baseline is taken)."""
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536', OMP_NUM_THREADS='1')
    result = subprocess.run([sys.executable, '-c', _STEP, json.dumps(list(configs))], env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode:
        raise RuntimeError(f'memory probe failed for {configs}:\n{result.stderr[-2000:]}')
    return json.loads(result.stdout.strip().splitlines()[-1])
