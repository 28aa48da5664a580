"""The README's main job (tools/demo.py) runs end to end on fresh synthetic data: the same code path as the full
demo, with a few iterations per stage."""
import json
import os.path as osp
import subprocess
import sys

import pytest

DEMO = osp.join(osp.dirname(__file__), '..', 'tools', 'demo.py')


def test_demo_runs(tmp_path):
    work = tmp_path / 'work'
    result = subprocess.run([sys.executable, DEMO, '--data-root', str(tmp_path / 'data'), '--work-dir', str(work),
                             '--stage1-iters', '4', '--stage2-iters', '6', '--clip-steps', '4', '--clip-batch-size',
                             '8', '--probe-scale', '0.02', '--test-images', '16'],
                            capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert 'segm mAP of the ground truth against itself = 1.000' in result.stdout
    results = (work / 'results.md').read_text()
    for task in ('caption', 'detection', 'segmentation'):
        assert f'| {task} |' in results and f'| {task} |' in result.stdout
    assert (work / 'loss_curves.png').stat().st_size > 10_000
    assert 'loss on the fixed val batches: before -> after 6 it.' in results
    for pinned in ("ATEN_CPU_CAPABILITY='avx2'", "MKL_CBWR='COMPATIBLE'", 'onednn=False', 'threads=1'):
        assert pinned in results  # the numerics it ran under
    record = json.loads((work / 'results.json').read_text())
    assert [i for i, _ in record['fixed_batch_losses']][0] == 0 and record['fixed_batch_losses'][-1][0] == 6
    assert set(record['out_of_domain']) >= {'goi', 'goi_shape', 'zero_shot_shapes', 'retrieval'}
    for name in ('lora_adapter/adapter_config.json', 'lora_adapter/adapter_model.safetensors',
                 'visft_lora_official.pt', 'merged_eva_clip.pt'):
        assert (work / 'export' / name).is_file(), name
    for head in ('caption', 'detr', 'mask2former'):
        assert (work / f'stage1_{head}_tiny_synthetic' / 'iter_4.pth').is_file()
    assert (work / 'stage2_joint_tiny_synthetic' / 'iter_6.pth').is_file()
    # the out-of-domain half: every benchmark for the mini CLIP before and after stage 2, through the runner
    assert 'mini CLIP: contrastive loss' in result.stdout
    assert '## Out of domain' in results
    for column in ('OCR char recall', 'GOI top-1', 'GOI shape top-1', 'zero-shot colour', 'zero-shot shape', 'text R@1'):
        assert column in results, column
    assert '| 0k |' in results and '| 0.006k |' in results
    ours = next(line for line in results.splitlines() if line.startswith('| 0.006k |'))
    assert '—' not in ours  # every benchmark's metric key reached its column
    bench = work / 'benchmarks'
    for name in ('ocr', 'goi', 'zero_shot_colours', 'zero_shot_shapes', 'retrieval'):
        for label in ('0k', '0.006k'):
            assert (bench / 'results' / name / f'tiny_{label}.json').is_file(), (name, label)
    assert (bench / 'demo_tiny_synthetic.png').stat().st_size > 10_000

    # the stage-2 analysis rerun from this run's heads: the same held-out batches give the demo's losses before
    out = tmp_path / 'fixed.json'
    tool = osp.join(osp.dirname(DEMO), 'analysis_tools', 'stage2_fixed_batch_losses.py')
    result = subprocess.run([sys.executable, tool, str(work), '--data-root', str(tmp_path / 'data'),
                             '--stage1-iters', '4', '--iters', '2', '--train-batches', '2', '--out', str(out),
                             '--cfg-options', 'train_cfg.task_probs.caption=0.0', 'train_cfg.task_probs.detection=1.0',
                             'train_cfg.task_probs.segmentation=0.0'],  # the docstring's one-task form
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert 'held_out images, 0 -> 2 it.: caption' in result.stdout and 'training images, 0 -> 2 it.' in result.stdout
    rerun = json.loads(out.read_text())
    assert rerun['task_counts'] == {'detection': 2}  # the other tasks' probabilities were set to 0
    histories = rerun['histories']
    assert histories['held_out'][0] == record['fixed_batch_losses'][0]
    assert histories['held_out'][-1][0] == 2 and histories['training'][0][1] != histories['held_out'][0][1]

    # the gradient diagnosis on the same heads: every task's LoRA gradients of training and held-out images
    tool = osp.join(osp.dirname(DEMO), 'analysis_tools', 'stage2_gradient_alignment.py')
    runs = []
    for run in range(2):  # seeded (the LoRA's random A): the same figures every time
        out = tmp_path / f'alignment{run}.json'
        result = subprocess.run([sys.executable, tool, str(work), '--data-root', str(tmp_path / 'data'),
                                 '--stage1-iters', '4', '--train-batches', '3', '--out', str(out)],
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        runs.append(json.loads(out.read_text()))
    assert runs[0] == runs[1]
    figures = runs[0]
    assert set(figures) == {'caption', 'detection', 'segmentation'}
    for task, f in figures.items():
        assert f['train_batches'] == 3 and f['held_out_batches'] >= 1 and f['train_batch_norm'] > 0, (task, f)
        assert -1 <= f['train_vs_held_out'] <= 1 and f'| {task} |' in result.stdout


def _demo_module():
    """tools/demo.py as a module (its top level imports nothing heavy; numerics are pinned only by its main)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location('visft_demo', DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _demo_config(name, work_dir, iters):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(osp.dirname(__file__), '..', 'configs', 'visft', 'demo', name))
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.update(max_iters=iters, val_interval=iters)
    cfg.default_hooks.checkpoint.interval = iters
    cfg.experiment_name = f'{osp.splitext(name)[0]}_{osp.basename(str(work_dir))}'
    return cfg


def _stage1_losses(checkpoints, batches):
    """Each stage-1 model (its config, its checkpoint: frozen backbone + head) on the fixed batches."""
    import torch
    from mmengine.runner import load_checkpoint

    from visft_mm.registry import MODELS
    losses = {}
    for task, name in _demo_module().STAGE1.items():  # the demo's stage-1 configs (conftest's name is ambiguous)
        model = MODELS.build(_demo_config(name, 'unused', 1).model)
        model.init_weights()
        load_checkpoint(model, checkpoints[task], map_location='cpu', strict=False)
        model.eval()
        with torch.no_grad(), torch.random.fork_rng():
            torch.manual_seed(0)
            total = 0.0
            for batch in batches[task]:
                loss, _ = model.parse_losses(model(**model.data_preprocessor(batch, True), mode='loss'))
                total += float(loss)
        losses[task] = total / len(batches[task])
    return losses


@pytest.mark.slow
def test_stage2_on_fixed_val_batches_starts_at_stage1_and_lowers_detection_segmentation(demo_workspace, tmp_path):
    """The first 30 iterations of the demo's stage 2 (its config and schedule) on fixed validation batches: before
    them (LoRA at zero) each task's loss is exactly the stage-1 model's; after them detection's and segmentation's
    are lower.  Caption's is not asserted: with the session's 2-iteration detection / segmentation heads (their
    gradients dominate the shared LoRA) it rose by 0.2 % in both runs made (with 150-iteration heads, as in the
    demo, it falls: README, "The demo").  The caption head gets 20 stage-1 iterations here."""
    import os

    from mmengine.runner import Runner

    from visft_mm.testing.task_losses import FixedBatchLossHook, fixed_loss_batches
    workspace, checkpoints = demo_workspace
    iters = 30
    cwd = os.getcwd()
    os.chdir(workspace)
    try:
        caption = _demo_config('stage1_caption_tiny_synthetic.py', tmp_path / 'caption', 20)
        caption.train_cfg.val_interval = 10**6
        Runner.from_cfg(caption).train()
        checkpoints = dict(checkpoints, caption=str(tmp_path / 'caption' / 'iter_20.pth'))
        cfg = _demo_config('stage2_joint_tiny_synthetic.py', tmp_path / 'stage2', iters)
        for task, head in cfg.model.heads.items():
            head.checkpoint = checkpoints[task]
        batches = fixed_loss_batches(cfg)
        stage1 = _stage1_losses(checkpoints, batches)
        hook = FixedBatchLossHook(batches, interval=iters)
        runner = Runner.from_cfg(cfg)
        runner.register_hook(hook)
        runner.train()
    finally:
        os.chdir(cwd)
    (_, first), (last_iter, last) = hook.history[0], hook.history[-1]
    assert last_iter == iters and set(first) == set(last) == {'caption', 'detection', 'segmentation'}
    assert first == stage1  # exactly: the LoRA starts at zero and the heads see stage 1's features
    for task in ('detection', 'segmentation'):
        assert last[task] < first[task], (task, first, last)
