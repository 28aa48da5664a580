"""ViSFT in miniature over several seeds: does stage 2 help the out-of-domain probes, beyond the noise?

For each seed the whole demo runs (tools/demo.py, one process each, its numerics pinned): synthetic data drawn
from the seed, the mini CLIP pretrained contrastively (it learns colour, hardly shape), the three stage-1 heads
(detection and segmentation need shape and position), stage 2 (LoRA through the frozen heads), then the
out-of-domain probes for the backbone before (0k) and after stage 2 on test sets of 256 images (one image = 0.39
point): GOI on colour + shape and on shape alone, zero-shot colour and shape, caption retrieval.  The report gives
each metric's mean +- std over seeds for 0k and after stage 2, and the paired difference (after - 0k, the same
seed's data and mini CLIP) with its mean +- std, a paired t-test and how many seeds it went up / down; a plot
draws each seed's pair.

    python tools/analysis_tools/miniature_study.py --seeds 5 --work-dir work_dirs/miniature_study

A seed whose ``results.json`` exists is not run again (so the study resumes); ``--report-only`` only reads them.
Wall time on 2 idle cores: about the demo's per seed (see the README's "The demo").
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

DEMO = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'demo.py')
# (benchmark, metric key, title): the in-domain metrics come from stage 2's validations
OUT_OF_DOMAIN = (
    ('goi', 'accuracy/top1', 'GOI colour+shape top-1'),
    ('goi_shape', 'accuracy/top1', 'GOI shape top-1'),
    ('zero_shot_colours', 'accuracy/top1', 'zero-shot colour'),
    ('zero_shot_shapes', 'accuracy/top1', 'zero-shot shape'),
    ('retrieval', 'i2t/retrieval/Recall@1', 'text R@1'),
    ('retrieval', 't2i/retrieval/Recall@1', 'image R@1'),
)
IN_DOMAIN = (('caption/caption/CIDEr', 'caption CIDEr'), ('detection/coco/bbox_mAP', 'bbox mAP'),
             ('segmentation/coco/segm_mAP', 'segm mAP'))
BENCHMARKS = sorted({bench for bench, _, _ in OUT_OF_DOMAIN})  # OCR left out: a CPU-sized probe reads nothing


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--seeds', type=int, default=5, help='seeds 0 .. N-1')
    parser.add_argument('--work-dir', default='work_dirs/miniature_study')
    parser.add_argument('--report-only', action='store_true', help='only aggregate the seeds already run')
    parser.add_argument('demo_args', nargs=argparse.REMAINDER,
                        help='after --: passed to tools/demo.py (e.g. -- --stage2-iters 200)')
    return parser.parse_args()


def run_seed(seed, work_dir, demo_args):
    out = osp.join(work_dir, f'seed{seed}')
    results = osp.join(out, 'results.json')
    if osp.isfile(results):
        print(f'[study] seed {seed}: {results} exists, not run again', flush=True)
        return results
    os.makedirs(out, exist_ok=True)
    command = [sys.executable, DEMO, '--seed', str(seed), '--data-root', osp.join(work_dir, f'data_seed{seed}'),
               '--work-dir', out, '--benchmarks', *BENCHMARKS, *demo_args]
    print(f'[study] seed {seed}: {" ".join(command)}', flush=True)
    start = time.time()
    with open(osp.join(out, 'demo.log'), 'w') as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)
    print(f'[study] seed {seed}: {time.time() - start:.0f} s', flush=True)
    return results


def metric_rows(records):
    """``[(title, [0k value per seed], [after value per seed])]``; metrics in percent."""
    rows = []
    for key, title in IN_DOMAIN:
        scale = 100 if 'mAP' in key else 1
        rows.append((title, [r['in_domain']['before'][key] * scale for r in records],
                     [r['in_domain']['after'][key] * scale for r in records]))
    for bench, key, title in OUT_OF_DOMAIN:
        values = []
        for record in records:
            cells = record['out_of_domain'][bench]
            after = next(label for label in cells if label != '0k')
            values.append((cells['0k'][key], cells[after][key]))
        rows.append((title, [v[0] for v in values], [v[1] for v in values]))
    losses = [(task, [r['fixed_batch_losses'][0][1][task] for r in records],
               [r['fixed_batch_losses'][-1][1][task] for r in records])
              for task in records[0]['fixed_batch_losses'][0][1]]
    return rows, losses


def summarise(before, after):
    import numpy as np
    from scipy import stats
    before, after = np.asarray(before, float), np.asarray(after, float)
    diff = after - before
    std = (lambda x: float(np.std(x, ddof=1)) if len(x) > 1 else float('nan'))
    if len(diff) > 1 and np.any(diff != diff[0]):
        p = float(stats.ttest_rel(after, before).pvalue)
    else:
        p = float('nan')
    return dict(before=(float(before.mean()), std(before)), after=(float(after.mean()), std(after)),
                diff=(float(diff.mean()), std(diff)), p=p, up=int((diff > 0).sum()), down=int((diff < 0).sum()))


def plot(rows, out_file):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(rows), figsize=(2.1 * len(rows), 3.2), squeeze=False)
    for ax, (title, before, after) in zip(axes[0], rows):
        for b, a in zip(before, after):
            ax.plot([0, 1], [b, a], 'o-', color='tab:blue', alpha=0.6)
        ax.set_xticks([0, 1], ['0k', 'ViSFT'])
        ax.set_xlim(-0.3, 1.3)
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file, dpi=110)
    plt.close(fig)


def report(records, work_dir):
    rows, losses = metric_rows(records)
    n = len(records)
    fmt = (lambda m: f'{m[0]:.2f} ± {m[1]:.2f}')
    lines = [f'# ViSFT in miniature: {n} seed(s) ({", ".join(str(r["seed"]) for r in records)})', '',
             f'Stage 2: {records[0]["stage2_iters"]} iterations; out-of-domain test sets of 256 images; metrics in '
             'percent (mAP x 100, CIDEr x 1). Mean ± std over seeds; paired difference = after stage 2 - 0k for '
             'the same seed (same data, mini CLIP and stage-1 heads); p: paired t-test.', '',
             '| metric | 0k (frozen mini CLIP) | after stage 2 | paired difference | p | seeds up / down |',
             '| --- | --- | --- | --- | --- | --- |']
    summary = {}
    for title, before, after in rows:
        s = summary[title] = summarise(before, after)
        lines.append(f'| {title} | {fmt(s["before"])} | {fmt(s["after"])} | {s["diff"][0]:+.2f} ± '
                     f'{s["diff"][1]:.2f} | {s["p"]:.3f} | {s["up"]} / {s["down"]} |')
    lines += ['', '| task | fixed val-batch loss before | after | paired difference | seeds down |',
              '| --- | --- | --- | --- | --- |']
    for task, before, after in losses:
        s = summarise(before, after)
        lines.append(f'| {task} | {s["before"][0]:.4f} ± {s["before"][1]:.4f} | {s["after"][0]:.4f} ± '
                     f'{s["after"][1]:.4f} | {s["diff"][0]:+.4f} ± {s["diff"][1]:.4f} | {s["down"]} / {n} |')
    png = osp.join(work_dir, 'miniature_study.png')
    plot(rows, png)
    lines += ['', f'Per-seed pairs: {osp.basename(png)}. Wall time per seed: ' + ', '.join(
        f'{r["timings"]["total"]:.0f} s' for r in records) + f'; numerics: {records[0]["numerics"]}']
    text = '\n'.join(lines) + '\n'
    with open(osp.join(work_dir, 'report.md'), 'w') as f:
        f.write(text)
    with open(osp.join(work_dir, 'summary.json'), 'w') as f:
        json.dump(dict(seeds=[r['seed'] for r in records], summary=summary,
                       values={title: dict(before=b, after=a) for title, b, a in rows}), f, indent=1)
    return text


def main():
    args = parse_args()
    demo_args = [a for a in args.demo_args if a != '--']
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.time()
    files = []
    for seed in range(args.seeds):
        path = osp.join(args.work_dir, f'seed{seed}', 'results.json')
        if args.report_only:
            if osp.isfile(path):
                files.append(path)
            continue
        files.append(run_seed(seed, args.work_dir, demo_args))
    if not files:
        raise SystemExit(f'error: no seed has results under {args.work_dir}')
    records = []
    for path in files:
        with open(path) as f:
            records.append(json.load(f))
    text = report(records, args.work_dir)
    print(text + f'\n[study] {len(records)} seed(s), {time.time() - start:.0f} s; report in '
          f'{osp.join(args.work_dir, "report.md")}', flush=True)


if __name__ == '__main__':
    main()
