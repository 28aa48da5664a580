"""The README's main job (tools/demo.py) runs end to end on fresh synthetic data: the same code path as the full
demo, with a few iterations per stage."""
import os.path as osp
import subprocess
import sys

DEMO = osp.join(osp.dirname(__file__), '..', 'tools', 'demo.py')


def test_demo_runs(tmp_path):
    work = tmp_path / 'work'
    result = subprocess.run([sys.executable, DEMO, '--data-root', str(tmp_path / 'data'), '--work-dir', str(work),
                             '--stage1-iters', '4', '--stage2-iters', '6', '--clip-steps', '4', '--clip-batch-size',
                             '8', '--probe-scale', '0.02'], capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert 'segm mAP of the ground truth against itself = 1.000' in result.stdout
    results = (work / 'results.md').read_text()
    for task in ('caption', 'detection', 'segmentation'):
        assert f'| {task} |' in results and f'| {task} |' in result.stdout
    assert (work / 'loss_curves.png').stat().st_size > 10_000
    for name in ('lora_adapter/adapter_config.json', 'lora_adapter/adapter_model.safetensors',
                 'visft_lora_official.pt', 'merged_eva_clip.pt'):
        assert (work / 'export' / name).is_file(), name
    for head in ('caption', 'detr', 'mask2former'):
        assert (work / f'stage1_{head}_tiny_synthetic' / 'iter_4.pth').is_file()
    assert (work / 'stage2_joint_tiny_synthetic' / 'iter_6.pth').is_file()
    # the out-of-domain half: every benchmark for the mini CLIP before and after stage 2, through the runner
    assert 'mini CLIP: contrastive loss' in result.stdout
    assert '## Out of domain' in results
    for column in ('OCR char recall', 'GOI top-1', 'zero-shot colour', 'zero-shot shape', 'text R@1'):
        assert column in results, column
    assert '| 0k |' in results and '| 0.006k |' in results
    ours = next(line for line in results.splitlines() if line.startswith('| 0.006k |'))
    assert '—' not in ours  # every benchmark's metric key reached its column
    bench = work / 'benchmarks'
    for name in ('ocr', 'goi', 'zero_shot_colours', 'zero_shot_shapes', 'retrieval'):
        for label in ('0k', '0.006k'):
            assert (bench / 'results' / name / f'tiny_{label}.json').is_file(), (name, label)
    assert (bench / 'demo_tiny_synthetic.png').stat().st_size > 10_000
