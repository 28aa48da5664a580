"""tools/dist_train.sh and tools/test.py as a user runs them, on CPU (gloo) with the synthetic data."""
import os
import os.path as osp
import re
import subprocess
import sys


ROOT = osp.join(osp.dirname(__file__), '..')


def _data_options(synthetic_data):
    root, files = synthetic_data
    data_root = str(root / 'coco') + '/'
    ann = data_root + 'annotations/instances_val2017.json'
    return [f'train_dataloader.dataset.data_root={data_root}', f'val_dataloader.dataset.data_root={data_root}',
            f'test_dataloader.dataset.data_root={data_root}', f'val_evaluator.ann_file={ann}',
            f'test_evaluator.ann_file={ann}', f'model.backbone.init_cfg.checkpoint={files["eva_checkpoint"]}']


def _env():
    env = dict(os.environ)
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
    env['PORT'] = str(29500 + os.getpid() % 1000)
    env['OMP_NUM_THREADS'] = '1'
    return env


def test_dist_train_two_cpu_processes_then_test(synthetic_data, tmp_path):
    work_dir = tmp_path / 'work'
    cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), 'configs/visft/demo/stage1_detr_tiny_synthetic.py', '2',
           '--work-dir', str(work_dir), '--cfg-options', 'train_cfg.max_iters=4',
           'train_cfg.val_interval=4', 'default_hooks.checkpoint.interval=4', 'default_hooks.logger.interval=1',
           'train_dataloader.batch_size=2', *_data_options(synthetic_data)]
    result = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert 'Iter(train) [4/4]' in log and 'coco/bbox_mAP' in log
    assert (work_dir / 'iter_4.pth').is_file()

    # the stage-1 checkpoint holds the head only, and tools/test.py evaluates it
    import torch
    ckpt = torch.load(work_dir / 'iter_4.pth', weights_only=False)
    assert ckpt['meta']['frozen_keys_dropped'] > 0
    assert ckpt['meta']['backbone_arch']['embed_dims'] == 192
    assert not any(k.startswith('backbone.') for k in ckpt['state_dict'])
    result = subprocess.run([sys.executable, 'tools/test.py', 'configs/visft/demo/stage1_detr_tiny_synthetic.py',
                             str(work_dir / 'iter_4.pth'), '--work-dir', str(tmp_path / 'test'), '--cfg-options',
                             *_data_options(synthetic_data)],
                            cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r'coco/bbox_mAP: \d', result.stdout + result.stderr)


def test_test_tool_names_a_missing_checkpoint(tmp_path):
    result = subprocess.run([sys.executable, 'tools/test.py', 'configs/visft/demo/stage1_detr_tiny_synthetic.py',
                             str(tmp_path / 'nope.pth')], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and 'nope.pth' in result.stderr


def test_stage2_dist_train_two_cpu_processes_then_test(demo_workspace, tmp_path):
    """Two gloo ranks run the task-sampled stage 2 without hanging (both draw the same task every iteration:
    the loop checks it), and tools/test.py evaluates the LoRA checkpoint on every task."""
    workspace, checkpoints = demo_workspace
    config = osp.abspath(osp.join(ROOT, 'configs', 'visft', 'demo', 'stage2_joint_tiny_synthetic.py'))
    heads = [f'model.heads.{task}.checkpoint={path}' for task, path in checkpoints.items()]
    work_dir = tmp_path / 'work'
    cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), config, '2', '--work-dir', str(work_dir),
           '--cfg-options', 'train_cfg.max_iters=6', 'train_cfg.val_interval=100', 'train_cfg.val_before_train=False',
           'default_hooks.checkpoint.interval=6', 'default_hooks.logger.interval=1',
           'train_dataloader.caption.batch_size=2', *heads]
    result = subprocess.run(cmd, cwd=workspace, env=_env(), capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    assert 'Iter(train) [6/6]' in log
    assert re.search(r'caption\.iters: \d+\s+detection\.iters: \d+\s+segmentation\.iters: \d+', log)
    assert (work_dir / 'iter_6.pth').is_file()

    result = subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'test.py'), config, str(work_dir / 'iter_6.pth'),
                             '--work-dir', str(tmp_path / 'test'), '--out', str(tmp_path / 'preds.pkl'),
                             '--cfg-options', *heads],
                            cwd=workspace, env=_env(), capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    for metric in ('caption/caption/CIDEr', 'detection/coco/bbox_mAP', 'segmentation/coco/segm_mAP'):
        assert re.search(metric + r': \d', log), metric
    for task in ('caption', 'detection', 'segmentation'):
        assert (tmp_path / f'preds_{task}.pkl').is_file()


def test_stage2_zero_sharded_optimizer_saves_and_resumes_exactly(demo_workspace, tmp_path):
    """mmengine's ZeRO optimizer hangs at the first checkpoint (rank 0 saves alone, consolidation is collective);
    visft_mm's consolidates on every rank first.  2 ranks, 4 iterations == 2 + resume + 2, bit for bit."""
    import torch
    workspace, checkpoints = demo_workspace
    config = tmp_path / 'zero.py'
    demo = osp.abspath(osp.join(ROOT, 'configs', 'visft', 'demo', 'stage2_joint_tiny_synthetic.py'))
    config.write_text(f"_base_ = ['{demo}']\n"
                      "optim_wrapper = dict(optimizer=dict(type='ConsolidatingZeroRedundancyOptimizer', "
                      "optimizer_type='AdamW'))\n"
                      "custom_hooks = [dict(type='TrainableCheckpointHook'), dict(type='ZeroConsolidateHook')]\n")
    options = ['train_cfg.val_interval=100', 'train_cfg.val_before_train=False', 'default_hooks.checkpoint.interval=2',
               'train_dataloader.caption.batch_size=2',
               *[f'model.heads.{task}.checkpoint={path}' for task, path in checkpoints.items()]]

    def train(work_dir, *extra):
        cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), str(config), '2', '--work-dir', str(work_dir),
               *extra, '--cfg-options', 'train_cfg.max_iters=4', *options]
        result = subprocess.run(cmd, cwd=workspace, env=_env(), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]

    train(tmp_path / 'full')
    train(tmp_path / 'resumed', '--resume', str(tmp_path / 'full' / 'iter_2.pth'))
    full, resumed = (torch.load(tmp_path / d / 'iter_4.pth', map_location='cpu', weights_only=False)
                     for d in ('full', 'resumed'))
    assert full['optimizer']['state'] and len(full['optimizer']['state']) == len(resumed['optimizer']['state'])
    for key, value in full['state_dict'].items():
        assert torch.equal(value, resumed['state_dict'][key]), key
