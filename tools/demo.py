"""The ViSFT demo on bundled synthetic data (README's first command): the whole method, CPU-sized.

Steps, each printed as it runs:
  1. generate the synthetic data in the real formats (COCO / Karpathy; the OCR, GOI and zero-shot benchmarks) and
     the caption vocabulary (skipped when there), and check the data with pycocotools;
  2. pretrain the foundation model in miniature: a tiny EVA-CLIP trained contrastively on the synthetic
     image-caption pairs (open_clip's loss; cached);
  3. stage 1: train the three heads (DETR, Mask2Former, LSTM captioner) on its frozen vision tower
     (configs/visft/demo/stage1_*_tiny_synthetic.py);
  4. stage 2: LoRA (r=64, alpha=1 on q, v) through the three frozen heads with task sampling
     (configs/visft/demo/stage2_joint_tiny_synthetic.py), validating every task before (= the frozen backbone:
     LoRA starts at zero) and after, and recording each task's loss on the same fixed validation batches
     (visft_mm.testing.task_losses: the logged losses are of whichever batches were drawn);
  5. export the LoRA (peft folder, official ViSFT layout) and the merged backbone (EVA-CLIP layout);
  6. out of domain: the benchmark runner (configs/benchmarks/demo_tiny_synthetic.py) trains the OCR and GOI probes
     and runs zero-shot classification and retrieval for the backbone before and after stage 2;
  7. print both before/after tables and write them with plots to the work dir.

Numerics are pinned (CPU, ATen's AVX2 kernels, MKL's vendor-independent COMPATIBLE branch, no oneDNN, --threads,
deterministic algorithms, seeds): the same tables on every x86 machine with AVX2, Intel or AMD, and the same
package versions.

What synthetic data can show: that every part runs end to end, that stage 2 changes only the LoRA, and what a
tiny CLIP's probes do before and after it.  Coloured shapes and a 4-block CLIP pretrained for a minute say nothing
about ViSFT's gains for EVA-CLIP on real images.
"""
import argparse
import json
import os
import os.path as osp
import time

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs', 'visft', 'demo')
STAGE1 = dict(caption='stage1_caption_tiny_synthetic.py', detection='stage1_detr_tiny_synthetic.py',
              segmentation='stage1_mask2former_tiny_synthetic.py')
STAGE2 = 'stage2_joint_tiny_synthetic.py'
SUITE = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'configs', 'benchmarks', 'demo_tiny_synthetic.py')
CLIP_FILE = 'checkpoints/tiny_clip_eva_clip.pt'  # under the data root: the mini CLIP every stage starts from
# the metric each task's row of the table shows
HEADLINE = {'caption': 'caption/caption/CIDEr', 'detection': 'detection/coco/bbox_mAP',
            'segmentation': 'segmentation/coco/segm_mAP'}
DEFAULT_DATA_ROOT = 'data/synthetic'  # what the demo configs name
# The same numbers on every x86 machine with AVX2, Intel or AMD: CPU only; ATen's kernels pinned to their AVX2
# versions (picked by CPU otherwise: AVX-512 and AVX2 kernels round differently); MKL on its COMPATIBLE branch, the
# one MKL documents as giving the same results on Intel and non-Intel CPUs (its AVX2 branch exists on Intel only:
# elsewhere MKL_CBWR=AVX2 silently falls back to the CPU's own AUTO branch, measured on an AMD EPYC: equal to AUTO,
# unlike COMPATIBLE); oneDNN off (pin_numerics), since its kernels block by cache size and have no such mode: its
# convolutions run as ATen's im2col + MKL gemm.  Read when torch loads, so set before it is imported; the thread
# count (torch.set_num_threads) is pinned in main().
PINNED_ENV = dict(CUDA_VISIBLE_DEVICES='', ATEN_CPU_CAPABILITY='avx2', MKL_CBWR='COMPATIBLE',
                  ONEDNN_MAX_CPU_ISA='AVX2')
# Every reduction's split depends on the thread count, so it is fixed, whatever the machine has: 1, since OpenMP
# threads that wait on each other lose most of their time on a loaded machine (a shared 2-core one ran stage 1
# 5-10x slower with 2 threads than with 1).
DEMO_THREADS = 1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default=DEFAULT_DATA_ROOT, help='where the synthetic data lives')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--stage1-iters', type=int, default=150, help='iterations of each stage-1 head')
    parser.add_argument('--stage2-iters', type=int, default=400)
    parser.add_argument('--clip-steps', type=int, default=300, help='contrastive pretraining steps of the mini CLIP')
    parser.add_argument('--clip-batch-size', type=int, default=32)
    parser.add_argument('--probe-scale', type=float, default=1.0,
                        help='scales the out-of-domain probes\' training (OCR iterations, GOI epochs)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--benchmarks', nargs='+', help='run only these benchmarks of the demo suite '
                        '(default: all of configs/benchmarks/demo_tiny_synthetic.py)')
    parser.add_argument('--test-images', type=int, default=TEST_IMAGES,
                        help='images of each out-of-domain test set (GOI, zero-shot, retrieval)')
    parser.add_argument('--threads', type=int, default=DEMO_THREADS,
                        help='torch threads (the tables are identical for the same value on every machine)')
    return parser.parse_args()


def pin_numerics(threads):
    """Pin what decides the demo's floating-point results (see PINNED_ENV); returns the settings, for the report.
    Must run before torch is imported."""
    import sys
    if 'torch' in sys.modules:
        raise RuntimeError('pin_numerics must run before torch is imported (ATEN_CPU_CAPABILITY, MKL_CBWR and '
                           'ONEDNN_MAX_CPU_ISA are read when it loads)')
    os.environ.update(PINNED_ENV)
    import torch
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    torch.backends.mkldnn.enabled = False  # oneDNN's kernels depend on the CPU's caches (see PINNED_ENV)
    return dict(PINNED_ENV, threads=threads, onednn=torch.backends.mkldnn.enabled, torch=torch.__version__,
                cpu_capability=torch.backends.cpu.get_cpu_capability())


def step(message):
    print(f'\n[demo] {message}', flush=True)


# the out-of-domain test sets: >= 256 images each, so that one image is < 0.5 point (the benchmark generator's
# defaults are test-sized)
TEST_IMAGES = 256
DATA_VERSION = 2  # of what ensure_data writes: a data root written by another version is written again


def ensure_data(data_root, seed, test_images=TEST_IMAGES):
    """The synthetic data, the demo's larger out-of-domain test sets and the caption vocabulary, written unless
    ``<data_root>/demo_data.json`` records this seed and version."""
    import shutil

    from visft_mm.datasets.captions import Vocabulary
    from visft_mm.testing import generate_synthetic_data
    from visft_mm.testing.mini_clip import write_colour_folders
    from visft_mm.testing.synthetic_clip import write_shape_folders, write_shape_retrieval
    from visft_mm.testing.synthetic_goi import generate_goi_data
    marker = osp.join(data_root, 'demo_data.json')
    record = dict(version=DATA_VERSION, seed=seed, test_images=test_images)
    if osp.isfile(marker):
        with open(marker) as f:
            if json.load(f) == record:
                step(f'synthetic data already in {data_root}')
                return
    start = time.time()
    files = generate_synthetic_data(data_root, benchmarks=True, seed=seed)
    per_class = test_images // 4
    for folder in ('shapes_cls', 'colours_cls', 'shapes_retrieval'):
        shutil.rmtree(osp.join(data_root, folder), ignore_errors=True)
    write_shape_folders(osp.join(data_root, 'shapes_cls'), images_per_class=per_class, seed=seed)
    write_colour_folders(osp.join(data_root, 'colours_cls'), images_per_class=per_class, seed=seed)
    write_shape_retrieval(osp.join(data_root, 'shapes_retrieval'), num_images=test_images, seed=seed)
    generate_goi_data(data_root, num_val=test_images, seed=seed)
    generate_goi_data(data_root, num_val=test_images, seed=seed, classes='shape', folder='coco-goi-shape',
                      num_candidates=4)  # the same images, named by shape alone
    Vocabulary.from_annotations(files['karpathy']).save(osp.join(data_root, 'coco', 'annotations',
                                                                 'caption_vocab.json'))
    with open(marker, 'w') as f:
        json.dump(record, f)
    step(f'generated synthetic data and the caption vocabulary in {data_root} ({time.time() - start:.1f} s)')


def check_annotations(data_root):
    import contextlib
    import io

    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    ann_file = osp.join(data_root, 'coco', 'annotations', 'instances_val2017.json')
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(ann_file)
        dets = [dict(a, score=1.0) for a in gt.loadAnns(gt.getAnnIds()) if not a['iscrowd']]
        evaluator = COCOeval(gt, gt.loadRes(dets), 'segm')
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    step(f'pycocotools: {len(gt.getImgIds())} val images, {len(gt.getAnnIds())} annotations, '
         f'segm mAP of the ground truth against itself = {evaluator.stats[0]:.3f}')


def pretrain_clip(args):
    """The foundation model in miniature (cached by its settings and data), written where every config reads it."""
    from visft_mm.testing.mini_clip import pretrain_mini_clip
    stats = pretrain_mini_clip(args.data_root, osp.join(args.data_root, CLIP_FILE), steps=args.clip_steps,
                               batch_size=args.clip_batch_size, seed=args.seed, log=lambda m: print(m, flush=True))
    return stats


def load_config(name, data_root, work_dir, iters, seed):
    from mmengine.config import Config

    from visft_mm.engine.launch import eva_init_cfgs, retarget_paths
    cfg = Config(retarget_paths(Config.fromfile(osp.join(CONFIGS, name)).to_dict(), DEFAULT_DATA_ROOT, data_root))
    for _, init_cfg in eva_init_cfgs(cfg.model):  # every stage starts from the mini CLIP's vision tower
        init_cfg['checkpoint'] = osp.join(data_root, CLIP_FILE)
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=seed, deterministic=True)
    cfg.train_cfg.update(max_iters=iters, val_interval=iters)
    warmup = min(cfg.param_scheduler[0].end, max(iters // 10, 1))
    cfg.param_scheduler[0].end = warmup
    cfg.param_scheduler[1].update(begin=warmup, end=max(iters, warmup + 1))
    cfg.default_hooks.checkpoint.interval = iters
    cfg.default_hooks.logger.interval = max(1, min(cfg.default_hooks.logger.interval, iters // 10))
    cfg.experiment_name = f'{osp.splitext(name)[0]}_{time.strftime("%Y%m%d_%H%M%S")}'
    return cfg


def stage2_config_from_run(demo_work_dir, data_root, stage1_iters, work_dir, iters, seed):
    """The demo's stage-2 config on the stage-1 heads of a finished demo run (for the analysis tools)."""
    cfg = load_config(STAGE2, data_root, work_dir, iters, seed)
    for task, name in STAGE1.items():
        checkpoint = osp.join(demo_work_dir, osp.splitext(name)[0], f'iter_{stage1_iters}.pth')
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'no stage-1 {task} head {checkpoint}: run tools/demo.py first (or pass its '
                                    '--stage1-iters)')
        cfg.model.heads[task].checkpoint = checkpoint
    return cfg


def training_images_as_val(cfg):
    """A copy of a stage-2 config whose validation sets are its training sets (all images: no filter), so that
    fixed batches (visft_mm.testing.task_losses) can be drawn from the training images too."""
    import copy
    on_train = copy.deepcopy(cfg)
    for task in on_train.val_dataloader:
        dataset = copy.deepcopy(cfg.train_dataloader[task].dataset)
        dataset.pop('filter_cfg', None)
        on_train.val_dataloader[task].dataset = dataset
    return on_train


def train(cfg, hooks=()):
    from mmengine.runner import Runner
    start = time.time()
    runner = Runner.from_cfg(cfg)
    for hook in hooks:
        runner.register_hook(hook)
    runner.train()
    return runner, time.time() - start


def fixed_batch_losses_hook(cfg, evaluations):
    """Each task's loss on the same fixed validation batches before stage 2 (LoRA at zero) and ``evaluations``
    times during it (``hook.history``)."""
    from visft_mm.testing.task_losses import FixedBatchLossHook, fixed_loss_batches
    return FixedBatchLossHook(fixed_loss_batches(cfg), max(1, cfg.train_cfg.max_iters // max(evaluations, 1)))


def history(runner, key, mode='train'):
    """Every value mmengine's message hub recorded for ``<mode>/<key>`` in this run (losses per iteration, each
    validation's metrics)."""
    buffer = runner.message_hub.log_scalars.get(f'{mode}/{key}')
    return [] if buffer is None else buffer.data[0].tolist()


def drawn_iterations(runner, task):
    """The stage-2 iterations (0-based) that drew ``task``, from its running count."""
    counts = history(runner, f'{task}.iters')
    return [i for i, (a, b) in enumerate(zip([0] + counts, counts)) if b > a]


def plot_losses(stage1_runners, stage2_runner, fixed_losses, tasks, out_file):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, len(tasks), figsize=(4.5 * len(tasks), 7), squeeze=False)
    for column, task in enumerate(tasks):
        axes[0][column].plot(history(stage1_runners[task], 'loss'), lw=0.8)
        axes[0][column].set_title(f'stage 1: {task} head (frozen backbone)')
        # stage 2: the task's loss at the iterations that drew it
        drawn, losses = drawn_iterations(stage2_runner, task), history(stage2_runner, f'{task}.loss')
        axes[1][column].plot(drawn, losses, lw=0.6, color='tab:orange', alpha=0.5, label='per iteration')
        window = min(10, len(losses))
        if window > 1:  # batches of 1 image are noisy: a moving mean over 10 draws shows the trend
            smooth = [sum(losses[i - window + 1:i + 1]) / window for i in range(window - 1, len(losses))]
            axes[1][column].plot(drawn[window - 1:], smooth, lw=1.5, color='tab:red', label='mean of 10')
        axes[1][column].plot([i for i, _ in fixed_losses], [values[task] for _, values in fixed_losses], 'o-',
                             lw=1.5, color='black', label='fixed val batches')
        axes[1][column].legend(fontsize=8)
        axes[1][column].set_title(f'stage 2: {task} (LoRA trains, head frozen)')
        for row in axes:
            row[column].set_xlabel('iteration')
            row[column].set_ylabel('loss')
    fig.tight_layout()
    fig.savefig(out_file, dpi=110)
    plt.close(fig)


def export_lora(model, work_dir):
    from visft_mm.models.weights.lora_files import export_lora as export
    out = osp.join(work_dir, 'export')
    export(model.backbone, adapter_dir=osp.join(out, 'lora_adapter'),
           official=osp.join(out, 'visft_lora_official.pt'), merged=osp.join(out, 'merged_eva_clip.pt'))
    return out


def results_table(before, after, stage2_runner, fixed_losses, timings, numerics):
    def mean(values):
        return sum(values) / max(len(values), 1)

    times = history(stage2_runner, 'time')  # IterTimerHook: seconds per iteration
    (_, first), (last_iter, last) = fixed_losses[0], fixed_losses[-1]
    lines = ['| task | metric | frozen backbone | backbone + LoRA | stage-2 iterations | s / iteration | '
             f'loss on the fixed val batches: before -> after {last_iter} it. |',
             '| --- | --- | --- | --- | --- | --- | --- |']
    for task, key in HEADLINE.items():
        drawn = drawn_iterations(stage2_runner, task)
        lines.append(f'| {task} | {key.split("/")[-1]} | {before[key]:.4f} | {after[key]:.4f} | {len(drawn)} | '
                     f'{mean([times[i] for i in drawn if i < len(times)]):.3f} | '
                     f'{first[task]:.4f} -> {last[task]:.4f} |')
    lines.append('')
    lines.append('Wall time: ' + ', '.join(f'{name} {seconds:.0f} s' for name, seconds in timings.items()))
    lines.append('')
    lines.append('Numerics (what the numbers depend on): ' + ', '.join(f'{k}={v!r}' for k, v in numerics.items()))
    return '\n'.join(lines)


def out_of_domain(args, stage2_checkpoint, stage2_iters):
    """The benchmark runner on the demo suite, for the backbone before (frozen) and after stage 2 (its LoRA)."""
    from mmengine.config import Config

    from visft_mm.benchmarks import BenchmarkSuite, write_report
    cfg = Config.fromfile(SUITE)
    if args.benchmarks:
        unknown = sorted(set(args.benchmarks) - set(cfg.benchmarks))
        if unknown:
            raise SystemExit(f'error: --benchmarks {unknown} are not in {SUITE} (it has {sorted(cfg.benchmarks)})')
        cfg.benchmarks = {name: cfg.benchmarks[name] for name in args.benchmarks}
    cfg.eva_checkpoint = osp.abspath(osp.join(args.data_root, CLIP_FILE))
    cfg.loras = {'0k': None, f'{stage2_iters / 1000:g}k': dict(checkpoint=osp.abspath(stage2_checkpoint),
                                                               iters=stage2_iters)}
    for bench in cfg.benchmarks.values():
        bench['config'] = osp.abspath(osp.join(osp.dirname(SUITE), '..', '..', bench['config']))
        for key in ('train_cfg.max_iters', 'train_cfg.val_interval', 'default_hooks.checkpoint.interval',
                    'train_cfg.max_epochs'):
            if key in bench.get('cfg_options', {}):
                bench['cfg_options'][key] = max(1, round(bench['cfg_options'][key] * args.probe_scale))
        if bench.get('train'):  # a probe's head init and data order: seeded (mmengine draws a seed otherwise)
            bench.setdefault('cfg_options', {}).update({'randomness.seed': args.seed,
                                                        'randomness.deterministic': True})
    cfg.tables = [osp.abspath(osp.join(osp.dirname(SUITE), '..', '..', t)) for t in cfg.tables]
    work_dir = osp.abspath(osp.join(args.work_dir, 'benchmarks'))
    # the configs name data/synthetic/...: run them from a folder where that is the demo's data root
    workspace = osp.join(work_dir, 'workspace')
    os.makedirs(osp.join(workspace, 'data'), exist_ok=True)
    link = osp.join(workspace, 'data', 'synthetic')
    if not osp.islink(link):
        os.symlink(osp.abspath(args.data_root), link)
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        suite = BenchmarkSuite(cfg, work_dir=work_dir, log=lambda m: step(m))
        results = suite.run()
        files = write_report(suite, results, work_dir)
    finally:
        os.chdir(cwd)
    return files, results


def main():
    args = parse_args()
    numerics = pin_numerics(args.threads)
    import torch
    torch.manual_seed(args.seed)
    import visft_mm  # noqa: F401  (the registry scope; modules register at their first look-up)
    started = time.time()
    os.makedirs(args.work_dir, exist_ok=True)
    ensure_data(args.data_root, args.seed, args.test_images)
    check_annotations(args.data_root)
    timings = {}
    step(f'the foundation model in miniature: a tiny CLIP pretrained contrastively on the synthetic captions '
         f'({args.clip_steps} steps; cached)')
    start = time.time()
    clip = pretrain_clip(args)
    timings['mini CLIP'] = time.time() - start
    step(f'mini CLIP: contrastive loss {clip["first_loss"]:.2f} -> {clip["last_loss"]:.2f} (chance '
         f'{clip["chance_loss"]:.2f}){" (cached)" if clip["cached"] else ""}, {timings["mini CLIP"]:.0f} s')

    stage1_runners, head_checkpoints = {}, {}
    for number, (task, name) in enumerate(STAGE1.items(), start=1):
        step(f'stage 1 ({number}/3): the {task} head on the frozen backbone, {args.stage1_iters} iterations')
        work_dir = osp.join(args.work_dir, osp.splitext(name)[0])
        runner, seconds = train(load_config(name, args.data_root, work_dir, args.stage1_iters, args.seed))
        stage1_runners[task], timings[f'stage 1 {task}'] = runner, seconds
        head_checkpoints[task] = osp.join(work_dir, f'iter_{args.stage1_iters}.pth')
        step(f'stage 1 {task}: {seconds:.0f} s; head checkpoint {head_checkpoints[task]}')

    step(f'stage 2: LoRA through the three frozen heads, {args.stage2_iters} iterations '
         '(validation before = frozen backbone, after = backbone + LoRA)')
    cfg = load_config(STAGE2, args.data_root, osp.join(args.work_dir, 'stage2_joint_tiny_synthetic'),
                      args.stage2_iters, args.seed)
    for task, checkpoint in head_checkpoints.items():
        cfg.model.heads[task].checkpoint = checkpoint
    losses_hook = fixed_batch_losses_hook(cfg, evaluations=4)
    stage2, timings['stage 2'] = train(cfg, [losses_hook])
    # two validations: before the first iteration (frozen backbone: LoRA starts at zero) and after the last
    before, after = ({key: history(stage2, key, 'val')[i] for key in HEADLINE.values()} for i in (0, -1))

    step('export')
    out = export_lora(stage2.model, args.work_dir)
    step(f'exported {out}/lora_adapter (peft), {out}/visft_lora_official.pt (released ViSFT layout), '
         f'{out}/merged_eva_clip.pt (LoRA merged, EVA-CLIP layout)')
    step('out of domain: OCR and GOI probes, zero-shot classification and retrieval, before / after stage 2')
    start = time.time()
    bench_files, bench_results = out_of_domain(args, osp.join(args.work_dir, 'stage2_joint_tiny_synthetic',
                                               f'iter_{args.stage2_iters}.pth'), args.stage2_iters)
    timings['out of domain'] = time.time() - start
    with open(bench_files[0]) as f:
        ood = f.read().split('\n\n', 2)[-1]  # the tables, without the report's header
    plot = osp.join(args.work_dir, 'loss_curves.png')
    plot_losses(stage1_runners, stage2, losses_hook.history, list(HEADLINE), plot)
    timings['total'] = time.time() - started
    table = results_table(before, after, stage2, losses_hook.history, timings, numerics)
    note = ('Synthetic shapes and a 4-block CLIP pretrained for a minute: this shows that every part runs end to '
            'end and that stage 2 moves only the LoRA; the numbers say nothing about ViSFT for EVA-CLIP on real '
            'images.')
    plots = ', '.join(osp.relpath(p, args.work_dir) for p in bench_files[1:])
    text = (f'# ViSFT demo (synthetic data)\n\n## In domain (stage-2 tasks)\n\n{table}\n\n{note}\n\n'
            f'## Out of domain\n\n{ood}\n\nLoss curves: loss_curves.png; benchmark plots: {plots}\n')
    with open(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write(text)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:  # what tools/analysis_tools/miniature_study reads
        json.dump(dict(seed=args.seed, in_domain=dict(before=before, after=after),
                       fixed_batch_losses=losses_hook.history, out_of_domain=bench_results, mini_clip=clip,
                       timings=timings, numerics=numerics, stage2_iters=args.stage2_iters), f, indent=1)
    step(f'results (also in {args.work_dir}/results.md; loss curves in {plot}):\n\n{text}')


if __name__ == '__main__':
    main()
