"""The README's main job (tools/demo.py) runs end to end on fresh synthetic data."""
import os.path as osp
import subprocess
import sys

DEMO = osp.join(osp.dirname(__file__), '..', 'tools', 'demo.py')


def test_demo_runs(tmp_path):
    result = subprocess.run([sys.executable, DEMO, '--data-root', str(tmp_path / 'data'), '--work-dir',
                             str(tmp_path / 'work')], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'segm mAP of the ground truth against itself = 1.000' in result.stdout
    assert (tmp_path / 'work' / 'lora_adapter' / 'adapter_config.json').is_file()
    assert (tmp_path / 'work' / 'merged_eva_clip.pt').is_file()
