"""Kill -9 soak of stage 2 on the demo configs: random kills, ``--resume``, compared with an uninterrupted run.

    python tools/analysis_tools/kill_soak.py [--work-dir work_dirs/kill_soak] [--iters 10] [--kills 3] [--seed 0]

Prepares (once, in the work dir) small synthetic data and three barely trained stage-1 checkpoints, then runs
``tools/train.py configs/visft/demo/stage2_joint_tiny_synthetic.py`` twice as subprocesses, checkpointing every
iteration: once uninterrupted, once killed with SIGKILL ``--kills`` times at random moments (each after the run
has made progress, at a uniformly drawn delay within about one iteration) and restarted with ``--resume`` until
it finishes.  Prints what each kill hit and whether the final LoRA tensors, the optimizer state and every logged
loss equal the uninterrupted run's, bit for bit; exits 1 if not.
"""
import argparse
import glob
import json
import os
import os.path as osp
import random
import signal
import subprocess
import sys
import time

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
CONFIGS = osp.join(ROOT, 'configs', 'visft', 'demo')
STAGE1 = dict(caption='stage1_caption_tiny_synthetic.py', detection='stage1_detr_tiny_synthetic.py',
              segmentation='stage1_mask2former_tiny_synthetic.py')
STAGE2 = osp.join(CONFIGS, 'stage2_joint_tiny_synthetic.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/kill_soak')
    parser.add_argument('--iters', type=int, default=10, help='stage-2 iterations of each run')
    parser.add_argument('--kills', type=int, default=3)
    parser.add_argument('--seed', type=int, default=0, help='seed of the kill moments')
    return parser.parse_args()


def prepare_workspace(work_dir):
    """data/synthetic and three stage-1 checkpoints (2 iterations each) under ``work_dir``; reused if there."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    from visft_mm.datasets.captions import Vocabulary
    from visft_mm.testing import generate_synthetic_data
    checkpoints = {task: osp.join(work_dir, 'work_dirs', osp.splitext(name)[0], 'iter_2.pth')
                   for task, name in STAGE1.items()}
    if all(osp.isfile(p) for p in checkpoints.values()):
        return checkpoints
    data = osp.join(work_dir, 'data', 'synthetic')
    files = generate_synthetic_data(data, num_train=24, num_val=8, seed=0)
    Vocabulary.from_annotations(files['karpathy']).save(osp.join(data, 'coco', 'annotations', 'caption_vocab.json'))
    cwd = os.getcwd()
    os.chdir(work_dir)
    try:
        for task, name in STAGE1.items():
            cfg = Config.fromfile(osp.join(CONFIGS, name))
            cfg.work_dir = osp.dirname(checkpoints[task])
            cfg.train_cfg.update(max_iters=2, val_interval=100)
            cfg.default_hooks.checkpoint.interval = 2
            Runner.from_cfg(cfg).train()
    finally:
        os.chdir(cwd)
    return checkpoints


def train_command(run_dir, checkpoints, iters, resume):
    options = [f'model.heads.{task}.checkpoint={path}' for task, path in checkpoints.items()] + [
        f'train_cfg.max_iters={iters}', 'train_cfg.val_interval=1000000', 'train_cfg.val_before_train=False',
        'default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1',
        'train_dataloader.caption.batch_size=2', 'randomness.seed=0',
        'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None']  # training only
    return ([sys.executable, osp.join(ROOT, 'tools', 'train.py'), STAGE2, '--work-dir', run_dir] +
            (['--resume'] if resume else []) + ['--cfg-options'] + options)


def _env():
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''), OMP_NUM_THREADS='1')


def _saved_iters(run_dir):
    return sorted(int(p.rsplit('_', 1)[1][:-4]) for p in glob.glob(osp.join(run_dir, 'iter_*.pth')))


def _pointer(run_dir):
    path = osp.join(run_dir, 'last_checkpoint')
    return open(path).read() if osp.exists(path) else None


def run_to_end(command, cwd, log):
    with open(log, 'a') as out:
        subprocess.run(command, cwd=cwd, env=_env(), stdout=out, stderr=subprocess.STDOUT, check=True)


def run_with_kills(command, resume_command, cwd, run_dir, kills, rng, log):
    """Start, wait for progress, kill -9 at a random moment; ``kills`` times; then run to the end."""
    events, per_iter = [], None
    for k in range(kills):
        with open(log, 'a') as out:
            proc = subprocess.Popen(resume_command if k else command, cwd=cwd, env=_env(), stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        before, start = _saved_iters(run_dir), time.time()
        while proc.poll() is None and _saved_iters(run_dir) == before:
            time.sleep(0.05)
        if proc.poll() is not None:
            raise RuntimeError(f'the run ended before kill {k + 1} (exit {proc.returncode}); see {log}')
        if per_iter is None:  # the time of one iteration, from the next checkpoint
            first = _saved_iters(run_dir)
            t0 = time.time()
            while proc.poll() is None and _saved_iters(run_dir) == first:
                time.sleep(0.05)
            per_iter = time.time() - t0
        delay = rng.uniform(0, 1.2 * per_iter)
        time.sleep(delay)
        if proc.poll() is not None:
            raise RuntimeError(f'the run ended before kill {k + 1}; use more --iters')
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        events.append(dict(kill=k + 1, after_s=round(time.time() - start, 2), delay_s=round(delay, 2),
                           saved=_saved_iters(run_dir), pointer=_pointer(run_dir),
                           partial_files=sorted(osp.basename(p) for p in glob.glob(osp.join(run_dir, '*.partial')))))
        print(f'[kill_soak] kill {k + 1}: {events[-1]}', flush=True)
    run_to_end(resume_command, cwd, log)
    return events


def logged_losses(run_dir):
    """{iteration: {key: value}} of every train/*loss* entry of every scalars.json under ``run_dir``; an iteration
    logged twice (re-run after a kill) must have logged the same values."""
    seen, mismatches = {}, []
    for path in sorted(glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json'))):
        for line in open(path):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # the line being written when the process was killed
                continue
            if 'loss' not in entry:
                continue
            values = {k: v for k, v in entry.items() if 'loss' in k}
            if entry['step'] in seen and seen[entry['step']] != values:
                mismatches.append(entry['step'])
            seen[entry['step']] = values
    return seen, mismatches


def main():
    args = parse_args()
    import torch

    from visft_mm.checkpoint import load_checkpoint_file
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    checkpoints = prepare_workspace(work_dir)
    reference, killed = osp.join(work_dir, 'reference'), osp.join(work_dir, 'killed')
    for run_dir in (reference, killed):
        if osp.exists(run_dir):
            raise SystemExit(f'{run_dir} exists: remove it (or use another --work-dir)')
    start = time.time()
    run_to_end(train_command(reference, checkpoints, args.iters, False), work_dir, osp.join(work_dir, 'reference.log'))
    reference_s = time.time() - start
    events = run_with_kills(train_command(killed, checkpoints, args.iters, False),
                            train_command(killed, checkpoints, args.iters, True), work_dir, killed, args.kills,
                            random.Random(args.seed), osp.join(work_dir, 'killed.log'))

    final = f'iter_{args.iters}.pth'
    a, b = load_checkpoint_file(osp.join(reference, final)), load_checkpoint_file(osp.join(killed, final))
    lora = [k for k in a['state_dict'] if '.lora_' in k]
    lora_equal = all(torch.equal(a['state_dict'][k], b['state_dict'][k]) for k in lora)
    optimizer_equal = all(
        all(torch.equal(x[n], y[n]) if torch.is_tensor(x[n]) else x[n] == y[n] for n in x)
        for x, y in zip(a['optimizer']['state'].values(), b['optimizer']['state'].values()))
    ref_losses, _ = logged_losses(reference)
    killed_losses, rerun_mismatches = logged_losses(killed)
    losses_equal = ref_losses == killed_losses
    summary = dict(iters=args.iters, kills=events, reference_s=round(reference_s, 1), lora_tensors=len(lora),
                   lora_bit_exact=lora_equal, optimizer_bit_exact=optimizer_equal,
                   losses_bit_exact=losses_equal, logged_iterations=len(killed_losses),
                   reruns_logged_differently=rerun_mismatches)
    print(json.dumps(summary, indent=1))
    sys.exit(0 if lora_equal and optimizer_equal and losses_equal and not rerun_mismatches else 1)


if __name__ == '__main__':
    main()
