"""``tools/visft_benchmark.py`` killed with SIGKILL during a probe's training, during its test and half way through
writing the cell's result JSON, then rerun:
the training resumes, nothing torn is read, and the results and the report equal an uninterrupted run's."""
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest
import torch

import visft_mm  # noqa: F401  (mmengine's checkpoint globals for weights_only loading)

pytestmark = pytest.mark.slow

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
GOI = osp.join(ROOT, 'configs', 'probes', 'goi', 'linear_tiny_synthetic.py')
EPOCHS = 4


@pytest.fixture(scope='module')
def workspace(synthetic_data, tmp_path_factory):
    """The GOI probe (trained, then tested) on synthetic coco-goi, without its random flip (a resumed run must
    replay the same epochs), as a one-cell suite."""
    from visft_mm.testing.synthetic_goi import generate_goi_data
    root, _ = synthetic_data
    workspace = tmp_path_factory.mktemp('kills')
    synthetic = workspace / 'data' / 'synthetic'
    synthetic.mkdir(parents=True)
    (synthetic / 'checkpoints').symlink_to(root / 'checkpoints', target_is_directory=True)
    generate_goi_data(str(synthetic), num_train=64, num_val=16, seed=0)
    (workspace / 'goi.py').write_text(
        f'_base_ = [{GOI!r}]\n'
        'train_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))\n')
    (workspace / 'suite.py').write_text(
        "arch = 'tiny'\n"
        "eva_checkpoint = 'data/synthetic/checkpoints/eva_vit_tiny_eva_clip.pt'\n"
        "loras = {'0k': None}\n"
        f"benchmarks = dict(goi=dict(config={str(workspace / 'goi.py')!r}, train=True, cfg_options={{\n"
        f"    'train_cfg.max_epochs': {EPOCHS}, 'train_cfg.val_interval': {EPOCHS},\n"
        "    'default_hooks.checkpoint.interval': 1, 'default_hooks.checkpoint.max_keep_ckpts': -1}))\n")
    return workspace


# imported at start-up from PYTHONPATH: SIGKILLs the runner while it writes a cell's result (half of the JSON in its
# partial file, before fsync and rename), as a kill at the worst moment of the write would
KILL_IN_JSON_WRITE = '''
import os
import signal

_fsync = os.fsync


def _fsync_or_die(fd):
    path = os.readlink(f'/proc/self/fd/{fd}')
    if path.endswith('.json.partial') and os.sep + 'results' + os.sep in path:
        size = os.fstat(fd).st_size
        os.ftruncate(fd, size // 2)
        os.kill(os.getpid(), signal.SIGKILL)
    return _fsync(fd)


os.fsync = _fsync_or_die
'''


def _runner(workspace, work_dir, kill_in_json_write=False):
    path = ROOT
    if kill_in_json_write:
        (workspace / 'kill_in_json').mkdir(exist_ok=True)
        (workspace / 'kill_in_json' / 'sitecustomize.py').write_text(KILL_IN_JSON_WRITE)
        path = os.pathsep.join((str(workspace / 'kill_in_json'), ROOT))
    env = dict(os.environ, PYTHONPATH=path, OMP_NUM_THREADS='1')
    return subprocess.Popen([sys.executable, osp.join(ROOT, 'tools', 'visft_benchmark.py'), 'suite.py',
                             '--work-dir', str(work_dir)], cwd=workspace, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_when(process, condition, timeout=600):
    """SIGKILL ``process`` (and its group) as soon as ``condition()`` holds; fails if it ended first."""
    start = time.time()
    while not condition():
        assert process.poll() is None, 'the runner ended before the moment to kill it'
        assert time.time() - start < timeout
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _run_dir(work_dir):
    runs = osp.join(work_dir, 'runs', 'goi')
    names = os.listdir(runs) if osp.isdir(runs) else []
    return osp.join(runs, names[0]) if names else None


def test_killed_in_training_and_in_test_then_rerun_equals_an_uninterrupted_run(workspace):
    reference = workspace / 'reference'
    assert _runner(workspace, reference).wait() == 0
    killed = workspace / 'killed'

    first = _runner(workspace, killed)  # killed in the probe's training, after its second epoch's checkpoint
    _kill_when(first, lambda: _run_dir(killed) and osp.isfile(osp.join(_run_dir(killed), 'epoch_2.pth')))
    # (the pointer may lag the checkpoint: the kill can land between the two, and the rerun still resumes)
    run = _run_dir(killed)
    assert not osp.isfile(osp.join(run, f'epoch_{EPOCHS}.pth'))

    second = _runner(workspace, killed)  # resumed; killed once training is over, in the test
    _kill_when(second, lambda: osp.isfile(osp.join(run, f'epoch_{EPOCHS}.pth'))
               and open(osp.join(run, 'last_checkpoint')).read().endswith(f'epoch_{EPOCHS}.pth'))
    assert not osp.isfile(osp.join(killed, 'results', 'goi', 'tiny_0k.json'))
    logs = sorted(p for p in os.listdir(run) if osp.isfile(osp.join(run, p, f'{p}.log')))
    assert len(logs) >= 2 and re.search(r'resumed epoch: [123],', open(osp.join(run, logs[1], f'{logs[1]}.log')).read())

    third = _runner(workspace, killed, kill_in_json_write=True)  # SIGKILLed half way through the result's write
    assert third.wait() == -signal.SIGKILL
    results = killed / 'results' / 'goi'
    assert sorted(os.listdir(results)) == ['tiny_0k.json.partial']  # never a torn tiny_0k.json

    assert _runner(workspace, killed).wait() == 0  # to the end
    assert sorted(os.listdir(results)) == ['tiny_0k.json']
    a, b = (json.loads((folder / 'results' / 'goi' / 'tiny_0k.json').read_text()) for folder in (reference, killed))
    assert a['metrics'] == b['metrics'] and a['key'] == b['key']
    final = [torch.load(osp.join(_run_dir(folder), f'epoch_{EPOCHS}.pth'), weights_only=True)['state_dict']
             for folder in (reference, killed)]
    assert final[0].keys() == final[1].keys() and all(torch.equal(final[0][k], final[1][k]) for k in final[0])
    assert (reference / 'report.md').read_text() == (killed / 'report.md').read_text()
    assert not list(killed.rglob('*.partial'))
