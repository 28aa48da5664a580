"""The benchmark runner end to end on synthetic data: two benchmarks x two LoRA files (+ the frozen backbone)."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from visft_mm.benchmarks import BenchmarkSuite, write_report
from visft_mm.testing.synthetic_clip import write_shape_folders, write_shape_retrieval, write_tiny_eva_clip

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
DIM, BLOCKS = 192, 4  # EVAViT 'tiny'


def _official_lora(path, seed, r=4):
    g = torch.Generator().manual_seed(seed)
    torch.save({f'visual.blocks.{i}.attn.qkv.lora_{w}': torch.randn(*shape, generator=g) * 0.5
                for i in range(BLOCKS) for w, shape in (('A', (2 * r, DIM)), ('B', (2 * DIM, r)))}, path)
    return str(path)


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    data = tmp_path / 'data' / 'synthetic'
    write_tiny_eva_clip(str(data / 'checkpoints' / 'tiny_clip_eva_clip.pt'))
    write_shape_folders(str(data / 'shapes_cls'), images_per_class=2, image_size=56)
    write_shape_retrieval(str(data / 'shapes_retrieval'), num_images=10, image_size=56)
    monkeypatch.chdir(tmp_path)
    table = dict(title='Shapes', columns=[
        dict(title='top-1', benchmark='shapes', metric='accuracy/top1'),
        dict(title='text R@1', benchmark='retrieval', metric='i2t/retrieval/Recall@1')],
        paper={'tiny': {'0k': {'top-1': 50.0}, '5k': {'top-1': 60.0}}})
    Config(table).dump(str(tmp_path / 'table.py'))
    suite = Config(dict(
        arch='tiny', eva_checkpoint='data/synthetic/checkpoints/tiny_clip_eva_clip.pt',
        loras={'0k': None, '5k': _official_lora(tmp_path / 'a.pt', 0), '15k': _official_lora(tmp_path / 'b.pt', 1)},
        benchmarks=dict(shapes=dict(config=osp.join(ROOT, 'configs/zero_shot/tiny_synthetic_shapes.py')),
                        retrieval=dict(config=osp.join(ROOT, 'configs/zero_shot/tiny_synthetic_retrieval.py'))),
        tables=[str(tmp_path / 'table.py')], work_dir=str(tmp_path / 'bench')))
    return tmp_path, suite


def test_suite_runs_resumes_and_recomputes_changed_files(workspace):
    tmp_path, cfg = workspace
    log = []
    suite = BenchmarkSuite(cfg, log=log.append)
    results = suite.run()
    assert sorted(results) == ['retrieval', 'shapes'] and all(len(r) == 3 for r in results.values())
    assert results['shapes']['5k'] != results['shapes']['0k']  # the LoRA reached the model
    files = write_report(suite, results, suite.work_dir)
    report = open(files[0]).read()
    assert '| 0k |' in report and '| 15k |' in report and 'text R@1' in report and '50.0' in report
    rows = [line.split(' | ') for line in report.splitlines() if line.startswith('| 0k |')]
    assert rows and '—' not in rows[0][:2] + rows[0][3:4]  # our cells are filled: the metric keys are right
    assert osp.getsize(osp.join(suite.work_dir, 'table.png')) > 1000
    cell = osp.join(suite.work_dir, 'results', 'shapes', 'tiny_5k.json')
    with open(cell) as f:
        stored = json.load(f)
    assert stored['metrics'] == results['shapes']['5k'] and stored['lora'].endswith('a.pt')

    log.clear()
    assert BenchmarkSuite(cfg, log=log.append).run() == results  # nothing recomputed
    assert sum('not recomputed' in line for line in log) == 6 and not any('running' in line for line in log)

    _official_lora(tmp_path / 'a.pt', 7)  # a changed LoRA file: its two cells only
    log.clear()
    again = BenchmarkSuite(cfg, log=log.append).run()
    assert [line.split(':')[0] for line in log if 'running' in line] == [
        '[benchmark 2/6] shapes x 5k', '[benchmark 5/6] retrieval x 5k']
    assert again['shapes']['0k'] == results['shapes']['0k']


def test_missing_files_are_named_before_anything_runs(workspace):
    _, cfg = workspace
    cfg.loras['50k'] = 'work_dirs/nowhere/iter_50000.pth'
    with pytest.raises(FileNotFoundError, match='iter_50000.pth'):
        BenchmarkSuite(cfg)
    with pytest.raises(ValueError, match=r"\['1k'\] are not in the suite"):
        BenchmarkSuite(cfg, only_loras=['1k'])
    assert list(BenchmarkSuite(cfg, only_loras=['0k', '5k']).loras) == ['0k', '5k']
