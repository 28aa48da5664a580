"""FSDP through mmengine's FlexibleRunner with visft_mm's loop and hooks: 2 gloo ranks on CPU
(``tools/dist_train.sh configs/visft/demo/stage2_joint_tiny_synthetic_fsdp.py 2``), killed and resumed bit for bit;
its sharded LoRA read by the export tool and the evaluations' ``--lora``; DeepSpeed refused."""
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

from visft_mm.engine.strategies import refuse_lossy_strategy

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
    options = ['train_cfg.max_iters=4', 'train_cfg.val_interval=100', 'train_cfg.val_begin=100',
               'train_cfg.val_before_train=False',
               'default_hooks.checkpoint.interval=2', 'default_hooks.logger.interval=1',
               'train_dataloader.caption.batch_size=2', *heads]
    dirs, logs = {}, {}

    def train(name, config, *extra, work=None):
        dirs[name] = work or tmp / name
        cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), str(config), '2', '--work-dir', str(dirs[name]),
               *extra, '--cfg-options', *options]
        result = subprocess.run(cmd, cwd=workspace, env=_env(str(tmp)), capture_output=True, text=True, timeout=600)
        logs[name] = result.stdout + result.stderr
        return result.returncode

    assert train('full', DEMO_FSDP) == 0, logs['full'][-5000:]
    assert train('killed', killing) != 0
    assert train('resumed', DEMO_FSDP, '--resume', work=dirs['killed']) == 0, logs['resumed'][-5000:]
    return workspace, heads, dirs, logs


def _loss(log, step):
    match = re.search(rf'Iter\(train\) \[{step}/4\].*?grad_norm: (\S+)\s+loss: (\S+)', log)
    return match.groups()


@pytest.mark.slow
def test_fsdp_demo_killed_and_resumed(fsdp_runs):
    """Killed after the iteration-2 checkpoint (iteration 3 trained, not saved), resumed with --resume: it goes
    on from iteration 2 with the uninterrupted run's weights and sampling state (iteration 3's loss and gradient
    norm are the same) and writes a LoRA-only checkpoint under plain names."""
    _, _, dirs, logs = fsdp_runs
    assert 'Iter(train) [4/4]' in logs['full']
    assert 'Iter(train) [3/4]' in logs['killed'] and 'Iter(train) [4/4]' not in logs['killed']
    assert 'resumed epoch: 0, iter: 2' in logs['resumed']
    assert 'FSDP: the frozen weights not in the checkpoint stay as initialised' in logs['resumed']
    assert _loss(logs['resumed'], 3) == _loss(logs['full'], 3)
    assert not list(dirs['resumed'].glob('*.partial'))
    full, resumed = _load(dirs['full'] / 'iter_4.pth'), _load(dirs['resumed'] / 'iter_4.pth')
    assert full['task_sampling'] == resumed['task_sampling']
    assert sum(full['task_sampling']['task_counts'].values()) == 4
    assert set(full['state_dict']) == set(resumed['state_dict'])
    # only what trains, under the plain names (no _fsdp_wrapped_module, no frozen block weight)
    assert all('lora_' in k for k in full['state_dict'] if k.startswith('backbone.'))
    assert not any('_fsdp_wrapped_module' in k or '_flat_param' in k for k in full['state_dict'])
    assert full['meta']['frozen_keys_dropped'] > 0
    assert any(v.abs().sum() > 0 for k, v in full['state_dict'].items() if 'lora_B' in k)  # the LoRA moved


@pytest.mark.slow
def test_fsdp_resume_is_bit_exact(fsdp_runs):
    """The LoRA and the AdamW state after two updates past the resume equal the uninterrupted run's bit for bit
    (they drifted by ~5e-4 while torch's CPU optimizer state dict gave exp_avg the values of exp_avg_sq)."""
    _, _, dirs, _ = fsdp_runs
    full, resumed = _load(dirs['full'] / 'iter_4.pth'), _load(dirs['resumed'] / 'iter_4.pth')
    for key, value in full['state_dict'].items():
        assert torch.equal(value, resumed['state_dict'][key]), key
    for a, b in zip(full['optimizer']['state'].values(), resumed['optimizer']['state'].values()):
        assert all(torch.equal(a[k], b[k]) for k in ('exp_avg', 'exp_avg_sq'))
        assert not torch.equal(a['exp_avg'], a['exp_avg_sq'])


@pytest.mark.slow
def test_fsdp_checkpoint_fingerprints_are_the_whole_weights(fsdp_runs, stage2_checkpoint):
    """Each rank sums only its pieces of the frozen weights; the checkpoint records the sum over the ranks: the
    same fingerprint a one-process run of the same config records."""
    _, _, dirs, _ = fsdp_runs
    fsdp_meta = _load(dirs['full'] / 'iter_4.pth')['meta']
    single_meta = _load(stage2_checkpoint[1])['meta']
    from visft_mm.checkpoint import fingerprints_match
    for key in ('frozen_fingerprint', 'backbone_fingerprint'):
        assert fingerprints_match(fsdp_meta[key], single_meta[key]), key


@pytest.mark.slow
def test_fsdp_lora_loads_into_an_evaluation_and_the_export(fsdp_runs, tmp_path):
    """The FSDP run's LoRA through ``--lora`` of an evaluation (tools/test.py: EVAPretrained reads it as every
    evaluation does) and through the LoRA reader the export tool uses."""
    workspace, heads, dirs, _ = fsdp_runs
    lora = str(dirs['full'] / 'iter_4.pth')
    config = osp.join(ROOT, 'configs', 'visft', 'demo', 'stage2_joint_tiny_synthetic.py')  # every task's metric
    result = subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'test.py'), config, '--lora', lora,
                             '--work-dir', str(tmp_path / 'test'), '--cfg-options', *heads],
                            cwd=workspace, env=_env(), capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert f"LoRA '{lora}' (checkpoint)" in log
    for metric in ('caption/caption/CIDEr', 'detection/coco/bbox_mAP', 'segmentation/coco/segm_mAP'):
        assert metric + ': ' in log, metric

    from visft_mm.models.weights.lora_files import read_lora
    read = read_lora(lora)
    assert read.form == 'checkpoint' and read.rank == 64 and len(read.tensors) == 4 * 2 * 2


# ---- default suite: cheap --------------------------------------------------------------------------------------

# 2 gloo ranks: a tiny LoRA EVAViT under FSDP (the demo configs' wrapping) and the same model without FSDP take two
# AdamW steps on the same batch; the strategy's full optimizer state dict must equal the plain optimizer's.
OPTIM_STATE_WORKER = '''
import sys
import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def model_and_batch():
    from visft_mm.models.backbones import EVAViT
    torch.manual_seed(0)
    model = EVAViT(arch='tiny', lora=dict(r=4, alpha=1))
    for name, p in model.named_parameters():
        if 'lora_B' in name:  # B != 0: both LoRA matrices get gradients
            torch.nn.init.normal_(p, std=0.1)
    return model, torch.randn(1, 3, 28, 28, generator=torch.Generator().manual_seed(1))


def train(model, batch, params):
    optimizer = torch.optim.AdamW(params, lr=1e-2)
    for _ in range(2):
        optimizer.zero_grad()
        model(batch)[0].float().pow(2).mean().backward()
        optimizer.step()
    return optimizer


def worker(rank, store, out):
    from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
    from torch.distributed.fsdp import FullOptimStateDictConfig, FullStateDictConfig, StateDictType
    from visft_mm.engine.strategies import full_optim_state_dict, trainable_apart_wrap_policy
    dist.init_process_group('gloo', init_method=f'file://{store}', rank=rank, world_size=2)
    model, batch = model_and_batch()
    wrapped = FSDP(model, device_id='cpu', use_orig_params=True, auto_wrap_policy=trainable_apart_wrap_policy)
    optimizer = train(wrapped, batch, [p for p in wrapped.parameters() if p.requires_grad])
    # mmengine's 'full' settings (FSDPStrategy(state_dict_cfg='full'))
    state = full_optim_state_dict(wrapped, optimizer, StateDictType.FULL_STATE_DICT,
                                  FullStateDictConfig(offload_to_cpu=True, rank0_only=True),
                                  FullOptimStateDictConfig(offload_to_cpu=True, rank0_only=True))
    if rank == 0:
        plain, batch = model_and_batch()
        names = [n for n, p in plain.named_parameters() if p.requires_grad]
        reference = train(plain, batch, [p for p in plain.parameters() if p.requires_grad]).state_dict()
        torch.save(dict(fsdp=state['state'], plain={n: reference['state'][i] for i, n in enumerate(names)}), out)
    dist.destroy_process_group()


if __name__ == '__main__':
    mp.spawn(worker, args=(sys.argv[1], sys.argv[2]), nprocs=2)
'''


def test_fsdp_full_optimizer_state_on_cpu_equals_the_plain_optimizers(tmp_path):
    """torch's full FSDP optimizer state dict on the CPU (mmengine's ``offload_to_cpu=True``) returns views into
    one buffer reused for every state, so ``exp_avg`` came back holding ``exp_avg_sq``: resumed runs drifted.
    ``full_optim_state_dict`` (what ``ResumableFSDPStrategy`` saves) gives each state its own values."""
    (tmp_path / 'worker.py').write_text(OPTIM_STATE_WORKER)
    out = tmp_path / 'states.pth'
    result = subprocess.run([sys.executable, str(tmp_path / 'worker.py'), str(tmp_path / 'store'), str(out)],
                            cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    states = _load(out)
    fsdp, plain = states['fsdp'], states['plain']
    assert set(fsdp) == set(plain) and len(plain) == 4 * 2 * 2  # 4 blocks x q, v x A, B
    for name, expected in plain.items():
        for key in ('exp_avg', 'exp_avg_sq'):
            torch.testing.assert_close(fsdp[name][key], expected[key], rtol=1e-5, atol=0, msg=f'{name} {key}')
        assert float(fsdp[name]['step']) == 2

@pytest.mark.parametrize('strategy', ['DeepSpeedStrategy', 'ColossalAIStrategy'])
def test_strategies_that_skip_the_checkpoint_callbacks_are_refused(strategy, tmp_path):
    """mmengine 0.10.7's DeepSpeed / ColossalAI strategies never call before_save_checkpoint /
    after_load_checkpoint: tools/train.py refuses them before building anything, naming what would be lost."""
    from visft_mm.engine.launch import train_main
    with pytest.raises(ValueError, match=f'{strategy}.*task-sampling state.*fingerprints'):
        train_main([DEMO_FSDP, '--work-dir', str(tmp_path), '--cfg-options', f'strategy.type={strategy}'])
    assert not list(tmp_path.iterdir())  # refused before the runner made its work dir


def test_the_hooks_refuse_a_built_lossy_strategy():
    """A runner built some other way (RUNNERS.build in user code) is refused by the hooks at before_run."""
    from visft_mm.engine import TaskSamplingHook, TrainableCheckpointHook

    class DeepSpeedStrategy:  # stands in for mmengine's (deepspeed is not installed): refused by class name
        pass

    runner = type('Runner', (), {'strategy': DeepSpeedStrategy()})()
    for hook in (TrainableCheckpointHook(), TaskSamplingHook()):
        with pytest.raises(ValueError, match='DeepSpeedStrategy.*before_save_checkpoint'):
            hook.before_run(runner)


def test_fsdp_local_state_dicts_are_refused():
    with pytest.raises(ValueError, match="state_dict_cfg='local'.*ShardedTensors.*'full'"):
        refuse_lossy_strategy(dict(type='FSDPStrategy', state_dict_cfg='local'))
    refuse_lossy_strategy(dict(type='FSDPStrategy', state_dict_cfg='full'))  # the configs' setting


def test_fsdp_configs_run_on_the_flexible_runner_with_full_state_dicts():
    from mmengine.config import Config
    for name in ('visft/demo/stage2_joint_tiny_synthetic_fsdp.py', 'visft/demo/stage1_detr_tiny_synthetic_fsdp.py',
                 'visft/stage2_joint_fsdp.py', 'visft/stage1_mask2former_eva_e_fsdp.py'):
        cfg = Config.fromfile(osp.join(ROOT, 'configs', name))
        assert cfg.runner_type == 'FlexibleRunner' and cfg.strategy.type == 'visft_mm.ResumableFSDPStrategy', name
        refuse_lossy_strategy(cfg.strategy)


@pytest.fixture
def gloo_one_rank(tmp_path):
    import torch.distributed as dist
    if dist.is_initialized():
        pytest.skip('a process group already exists in this process')
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_wrap_policy_gives_frozen_weights_no_gradient(gloo_one_rank):
    """One FSDP unit per block holding the frozen block and its LoRA gets a gradient over the whole block
    (pytorch #104690); with trainable_apart_wrap_policy only the LoRA's units do, and training still reaches
    every LoRA matrix."""
    from functools import partial

    from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
    from torch.distributed.fsdp.wrap import transformer_auto_wrap_policy

    from visft_mm.engine.strategies import dropped_state_keys, trainable_apart_wrap_policy
    from visft_mm.models.backbones import EVAViT
    from visft_mm.models.backbones.eva_vit import EVABlock

    def grad_elements(policy):
        torch.manual_seed(0)
        model = EVAViT(arch='tiny', lora=dict(r=4, alpha=1))
        for name, p in model.named_parameters():  # B != 0: every LoRA matrix gets a non-zero gradient
            if 'lora_B' in name:
                torch.nn.init.normal_(p)
        lora = sum(p.numel() for p in model.parameters() if p.requires_grad)
        wrapped = FSDP(model, device_id='cpu', use_orig_params=True, auto_wrap_policy=policy)
        wrapped(torch.randn(1, 3, 28, 28))[0].float().pow(2).mean().backward()
        flats = [u._flat_param for u in FSDP.fsdp_modules(wrapped) if getattr(u, '_flat_param', None) is not None]
        grads = [p.grad for p in wrapped.parameters() if p.requires_grad]
        assert all(g is not None and g.abs().sum() > 0 for g in grads)
        return lora, sum(f.grad.numel() for f in flats if f.grad is not None), wrapped

    lora, block_grads, _ = grad_elements(partial(transformer_auto_wrap_policy, transformer_layer_cls={EVABlock}))
    assert block_grads > 10 * lora
    lora, apart_grads, wrapped = grad_elements(trainable_apart_wrap_policy)
    assert apart_grads == lora
    dropped = dropped_state_keys(wrapped)  # plain names, as the 'full' state dict has them
    assert 'blocks.0.attn.q_proj.base_layer.weight' in dropped
    assert not any('lora_' in k and '_flat_param' not in k for k in dropped)


def test_gpu_check_dry_run_without_mmdet_or_mmcv_ops(tmp_path):
    """tools/analysis_tools/gpu_check.py on CPU with the tiny arch, in an interpreter where mmdet, mmocr and
    mmcv's compiled ops cannot be imported (the GPU machine's pure-wheel environment)."""
    (tmp_path / 'sitecustomize.py').write_text(
        'import sys\n'
        'class _Block:\n'
        '    def find_spec(self, name, path=None, target=None):\n'
        "        if name == 'mmcv._ext' or name.split('.')[0] in ('mmdet', 'mmocr'):\n"
        "            raise ImportError(f'{name} is not installed here')\n"
        'sys.meta_path.insert(0, _Block())\n')
    result = subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'analysis_tools', 'gpu_check.py'),
                             '--device', 'cpu', '--archs', 'tiny', '--dry-run', '--iters', '1', '--warmup', '0'],
                            cwd=ROOT, env=_env(str(tmp_path)), capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert 'visft_mm: backbone modules alone' in log
    for task in ('caption', 'detection', 'segmentation'):
        assert f'tiny    {task}' in log
    assert '50000 iterations on 8 GPUs' in log
