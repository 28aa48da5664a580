"""FSDP through mmengine's FlexibleRunner with visft_mm's loop and hooks: 2 gloo ranks on CPU
(``tools/dist_train.sh configs/visft/demo/stage2_joint_tiny_synthetic_fsdp.py 2``), killed and resumed bit for bit;
its sharded LoRA read by the export tool and the evaluations' ``--lora``; DeepSpeed refused."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
DEMO_FSDP = osp.join(ROOT, 'configs', 'visft', 'demo', 'stage2_joint_tiny_synthetic_fsdp.py')

# a hook that kills every rank (no cleanup, as a SIGKILL / node loss would) before a given iteration
KILL_HOOK = '''
import os
from mmengine.hooks import Hook
from visft_mm.registry import HOOKS


@HOOKS.register_module()
class KillBeforeIterHook(Hook):
    def __init__(self, at):
        self.at = at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.at:
            os._exit(17)
'''


def _env(extra_path=None):
    env = dict(os.environ)
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
    env['PORT'] = str(28500 + os.getpid() % 1000)
    env['OMP_NUM_THREADS'] = '1'
    env['PYTHONPATH'] = os.pathsep.join(p for p in (ROOT, extra_path, env.get('PYTHONPATH')) if p)
    return env


def _load(path):
    return torch.load(path, map_location='cpu', weights_only=False)


@pytest.fixture(scope='module')
def fsdp_runs(demo_workspace, tmp_path_factory):
    """Three 2-rank FSDP runs of the demo config, 4 iterations, checkpoints every 2: uninterrupted; killed before
    iteration 4 (after the iter_2 checkpoint); that one resumed with ``--resume``.
    Returns (workspace, heads options, {name: work dir}, {name: log})."""
    workspace, checkpoints = demo_workspace
    tmp = tmp_path_factory.mktemp('fsdp')
    (tmp / 'kill_hook.py').write_text(KILL_HOOK)
    killing = tmp / 'killed.py'
    killing.write_text(f"_base_ = ['{DEMO_FSDP}']\ncustom_imports = dict(imports=['kill_hook'])\n"
                       "custom_hooks = [dict(type='TrainableCheckpointHook'), dict(type='KillBeforeIterHook', at=3)]\n")
    heads = [f'model.heads.{task}.checkpoint={path}' for task, path in checkpoints.items()]
    options = ['train_cfg.max_iters=4', 'train_cfg.val_interval=100', 'train_cfg.val_before_train=False',
               'default_hooks.checkpoint.interval=2', 'default_hooks.logger.interval=1',
               'train_dataloader.caption.batch_size=2', *heads]
    dirs, logs = {}, {}

    def train(name, config, *extra):
        dirs[name] = tmp / name
        cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), str(config), '2', '--work-dir', str(dirs[name]),
               *extra, '--cfg-options', *options]
        result = subprocess.run(cmd, cwd=workspace, env=_env(str(tmp)), capture_output=True, text=True, timeout=600)
        logs[name] = result.stdout + result.stderr
        return result.returncode

    assert train('full', DEMO_FSDP) == 0, logs['full'][-5000:]
    assert train('killed', killing) != 0
    dirs['resumed'] = dirs['killed']
    assert train('resumed', DEMO_FSDP, '--resume') == 0, logs['resumed'][-5000:]
    return workspace, heads, dirs, logs


def test_fsdp_demo_killed_and_resumed_bit_exactly(fsdp_runs):
    _, _, dirs, logs = fsdp_runs
    assert 'Iter(train) [4/4]' in logs['full']
    assert 'Iter(train) [3/4]' not in logs['killed'] and 'Iter(train) [2/4]' in logs['killed']
    assert 'resumed epoch: 0, iter: 2' in logs['resumed']
    full, resumed = dirs['full'] / 'iter_4.pth', dirs['resumed'] / 'iter_4.pth'
    assert sorted(p.name for p in full.iterdir()) == ['rank0.pth', 'rank1.pth']
    assert not list(dirs['resumed'].glob('*.partial'))
    for rank in (0, 1):
        a, b = _load(full / f'rank{rank}.pth'), _load(resumed / f'rank{rank}.pth')
        assert a['task_sampling'] == b['task_sampling'] and sum(a['task_sampling']['task_counts'].values()) == 4
        assert set(a['state_dict']) == set(b['state_dict'])
        assert any('lora_B' in k for k in a['state_dict'])
        for key, value in a['state_dict'].items():
            value, other = (v.local_tensor() if hasattr(v, 'local_tensor') else v
                            for v in (value, b['state_dict'][key]))
            assert torch.equal(value, other), (rank, key)
        # only what trains: no frozen block weights, no frozen unit's flat parameter
        assert not any('base_layer' in k or k.endswith('mlp.fc1.weight') for k in a['state_dict'])
        assert a['meta']['frozen_keys_dropped'] > 0 and a['meta']['fsdp']['world_size'] == 2
    # the LoRA moved (a resumed run that silently restarted would still be equal to itself, not to the full one)
    lora_b = [v for k, v in _load(full / 'rank0.pth')['state_dict'].items() if 'lora_B' in k and v.numel()]
    assert any(v.abs().sum() > 0 for v in lora_b)
