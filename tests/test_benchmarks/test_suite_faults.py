"""The benchmark runner under faults: a result is never read from a torn file, a write that dies (a kill, a full
disk) leaves the previous result, a second runner on the same folder stops naming the first, and a rerun after any
of these gives the report an uninterrupted run gives."""
import errno
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch
from mmengine.config import Config

from visft_mm.benchmarks import BenchmarkSuite, write_report
from visft_mm.benchmarks import cells as cells_module
from visft_mm.testing.synthetic_clip import write_shape_folders, write_tiny_eva_clip

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
CELLS = osp.join(ROOT, 'visft_mm', 'benchmarks', 'cells.py')


def _official_lora(path, seed, r=4, dim=192, blocks=4):
    g = torch.Generator().manual_seed(seed)
    torch.save({f'visual.blocks.{i}.attn.qkv.lora_{w}': torch.randn(*shape, generator=g) * 0.5
                for i in range(blocks) for w, shape in (('A', (2 * r, dim)), ('B', (2 * dim, r)))}, path)
    return str(path)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp('suite_faults')
    write_tiny_eva_clip(str(root / 'data' / 'synthetic' / 'checkpoints' / 'tiny_clip_eva_clip.pt'))
    write_shape_folders(str(root / 'data' / 'synthetic' / 'shapes_cls'), images_per_class=2, image_size=56)
    return root, _official_lora(root / 'a.pt', 0)


def _suite_cfg(root, lora, work_dir):
    return Config(dict(
        arch='tiny', eva_checkpoint='data/synthetic/checkpoints/tiny_clip_eva_clip.pt', loras={'5k': lora},
        benchmarks=dict(shapes=dict(config=osp.join(ROOT, 'configs/zero_shot/tiny_synthetic_shapes.py'))),
        work_dir=str(work_dir)))


@pytest.fixture(scope='module')
def reference(data):
    """An uninterrupted run: (results, report text)."""
    root, lora = data
    cwd = os.getcwd()
    os.chdir(root)  # the configs name data/synthetic/... relative to the working directory
    try:
        suite = BenchmarkSuite(_suite_cfg(root, lora, root / 'reference'), log=lambda m: None)
        results = suite.run()
        return results, _report(suite, results)
    finally:
        os.chdir(cwd)


@pytest.fixture
def suite(data, reference, tmp_path, monkeypatch):
    root, lora = data
    monkeypatch.chdir(root)
    log = []
    return BenchmarkSuite(_suite_cfg(root, lora, tmp_path / 'bench'), log=log.append), log


def _report(suite, results):
    with open(write_report(suite, results, suite.work_dir)[0]) as f:
        return f.read()


def test_a_torn_result_is_computed_again_never_read(suite, reference):
    suite, log = suite
    suite.run()
    result = osp.join(suite.work_dir, 'results', 'shapes', 'tiny_5k.json')
    text = open(result).read()
    open(result, 'w').write(text[:len(text) // 2])  # as a write cut short by a kill would leave it (not ours)
    assert suite.results() == {}
    assert any('is not a complete result' in line and result in line for line in log)
    log.clear()
    results = suite.run()
    assert [line.split(':')[0] for line in log if 'running' in line] == ['[benchmark 1/1] shapes x 5k']
    assert results == reference[0] and _report(suite, results) == reference[1]


def test_a_write_killed_half_way_leaves_no_result_and_the_rerun_completes(suite, reference, monkeypatch):
    suite, log = suite

    rename = os.replace

    def killed(src, dst):
        if str(src).endswith('.json.partial'):
            raise KeyboardInterrupt  # SIGKILL between a cell's partial file and its rename
        return rename(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(cells_module.os, 'replace', killed)
        with pytest.raises(KeyboardInterrupt):
            suite.run()
    results_dir = osp.join(suite.work_dir, 'results', 'shapes')
    assert os.listdir(results_dir) == ['tiny_5k.json.partial']  # never a torn tiny_5k.json
    assert suite.results() == {}
    log.clear()
    results = suite.run()
    assert any('removed' in line and 'tiny_5k.json.partial' in line for line in log)
    assert os.listdir(results_dir) == ['tiny_5k.json']
    assert results == reference[0]
    assert _report(suite, results) == reference[1]


def test_a_full_disk_names_the_result_and_keeps_the_previous_one(suite, data, monkeypatch):
    suite, _ = suite
    suite.run()
    result = osp.join(suite.work_dir, 'results', 'shapes', 'tiny_5k.json')
    before = open(result).read()
    _official_lora(osp.join(osp.dirname(suite.work_dir), 'changed.pt'), 3)
    suite.loras['5k'] = osp.join(osp.dirname(suite.work_dir), 'changed.pt')  # a changed file: recomputed

    sync = os.fsync

    def full(fd):
        if os.readlink(f'/proc/self/fd/{fd}').endswith('.json.partial'):
            raise OSError(errno.ENOSPC, 'No space left on device')  # the cell's result does not fit on the disk
        return sync(fd)

    monkeypatch.setattr(cells_module.os, 'fsync', full)
    with pytest.raises(OSError, match=f'cannot write benchmark result {result} .No space left on device.*intact'):
        suite.run()
    assert open(result).read() == before
    assert not [n for n in os.listdir(osp.dirname(result)) if n.endswith('.partial')]


def test_a_second_runner_on_the_same_folder_stops_naming_the_first(suite):
    suite, _ = suite
    with cells_module.OutputFolderLock(suite.work_dir):
        with pytest.raises(RuntimeError, match=f'{suite.work_dir} is in use by another runner \\(pid {os.getpid()}'):
            suite.run()
    assert not osp.isdir(osp.join(suite.work_dir, 'results'))  # it stopped before writing anything


def test_the_lock_dies_with_a_killed_runner(tmp_path):
    """flock: a runner killed with SIGKILL leaves no stale lock behind."""
    holder = subprocess.Popen([sys.executable, '-c', (
        'import importlib.util, sys, time\n'
        f'spec = importlib.util.spec_from_file_location("cells", {CELLS!r})\n'
        'cells = importlib.util.module_from_spec(spec); spec.loader.exec_module(cells)\n'
        f'with cells.OutputFolderLock({str(tmp_path)!r}):\n'
        '    print("locked", flush=True); time.sleep(60)\n')], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == 'locked'
    with pytest.raises(RuntimeError, match=f'pid {holder.pid}'):
        cells_module.OutputFolderLock(str(tmp_path)).__enter__()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    time.sleep(0.1)
    with cells_module.OutputFolderLock(str(tmp_path)):
        pass
