"""Stage 2 killed with SIGKILL at random moments and in checkpoint saves, resumed to the end, compared with an
uninterrupted run bit for bit (``tools/analysis_tools/kill_soak.py``); with one process and with two gloo ranks
(one rank killed)."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))


@pytest.mark.parametrize('nproc, iters, kills, save_kills', [(1, 10, 5, 2), (2, 6, 2, 1)], ids=['1 rank', '2 ranks'])
def test_resumed_after_kills_equals_the_uninterrupted_run(tmp_path, nproc, iters, kills, save_kills):
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1')
    done = subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'analysis_tools', 'kill_soak.py'),
                           '--work-dir', str(tmp_path), '--iters', str(iters), '--kills', str(kills),
                           '--save-kills', str(save_kills), '--nproc', str(nproc)],
                          env=env, capture_output=True, text=True, timeout=3000)
    out = done.stdout
    summary = json.loads(out[out.index('{\n'):])
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert len(summary['kills']) == kills and summary['logged_iterations'] == iters
    assert summary['lora_bit_exact'] and summary['optimizer_bit_exact'] and summary['losses_bit_exact']
    assert summary['partial_files_left'] == [] and summary['reruns_logged_differently'] == []
