"""tools/train.py and tools/test.py: their command lines, the config they yield, and the runs themselves.

The benchmark runner calls :func:`train_main` / :func:`test_main` with the same arguments a user types, so a
benchmark cell runs exactly the user's path (in this process, or under torchrun as ``python -m visft_mm``).
"""
import argparse
import json
import os
import os.path as osp
from typing import List, Optional

from mmengine.config import Config, DictAction

from visft_mm.checkpoint.io import is_remote
from .config_bases import visft_mm_bases
from .dist import finish_distributed, setup_cpu_distributed


def add_common_args(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument('--work-dir', help='the folder for logs, checkpoints and metrics')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, e.g. train_cfg.max_iters=10')
    parser.add_argument('--lora', help='a ViSFT LoRA (stage-2 checkpoint, peft adapter folder or official file) '
                        'merged into the backbone: sets the lora of the EVAPretrained init_cfg in the model config')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def config_from_args(args) -> Config:
    """The config with ``--cfg-options`` / ``--lora`` merged, the launcher set and a default work dir
    (``work_dirs/<config name>``).  Starts nothing (:func:`start_run` adds the process group)."""
    with visft_mm_bases():  # _base_ = ['visft_mm::...'] in a user's config
        cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if getattr(args, 'lora', None):
        set_backbone_lora(cfg, args.lora)
    ensure_safe_load(cfg)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg


def start_run(args) -> Config:
    """:func:`config_from_args`, and on a machine without a GPU under torchrun, a CPU (gloo) process group."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = config_from_args(args)
    setup_cpu_distributed(cfg)
    return cfg


SAFE_LOAD_HOOKS = ('SafeCheckpointLoadHook', 'visft_mm.SafeCheckpointLoadHook')


def ensure_safe_load(cfg: Config) -> None:
    """The tools never let mmengine unpickle a checkpoint unchecked: a config without ``SafeCheckpointLoadHook``
    (an evaluation runtime, an upstream config) gets ``default_hooks.safe_load`` with mmengine's own shape handling
    (``strict_shapes=False``), so ``load_from`` / ``--resume`` / ``CHECKPOINT`` are read weights-only and a URL is
    downloaded before it is loaded."""
    hooks = list((cfg.get('default_hooks') or {}).values()) + list(cfg.get('custom_hooks') or [])
    if any(isinstance(h, dict) and h.get('type') in SAFE_LOAD_HOOKS for h in hooks):
        return
    cfg.default_hooks = dict(cfg.get('default_hooks') or {},
                             safe_load=dict(type='visft_mm.SafeCheckpointLoadHook', strict_shapes=False))


EVA_INITIALIZERS = ('EVAPretrained', 'visft_mm.EVAPretrained')


def eva_init_cfgs(node, path='model'):
    """``[(path, init_cfg)]`` of every ``EVAPretrained`` init_cfg in a config dict (at any depth)."""
    found = []
    if isinstance(node, dict):
        if node.get('type') in EVA_INITIALIZERS:
            found.append((path, node))
        for key, value in node.items():
            found += eva_init_cfgs(value, f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            found += eva_init_cfgs(value, f'{path}[{i}]')
    return found


def set_backbone_lora(cfg, lora: str) -> None:
    """Point the model's one EVA backbone initializer at a ViSFT LoRA (``--lora``)."""
    found = eva_init_cfgs(cfg.model)
    if len(found) != 1:
        where = ', '.join(path for path, _ in found) or 'none'
        raise SystemExit(f'error: --lora needs exactly one init_cfg=dict(type=\'EVAPretrained\', ...) in the model '
                         f'config, found {len(found)} ({where}); set it with --cfg-options <path>.lora=...')
    found[0][1]['lora'] = lora


def retarget_paths(node, old_prefix: str, new_prefix: str):
    """A copy of a config dict with every string path under ``old_prefix`` moved under ``new_prefix`` (runs the
    configs written for ``data/coco/`` or ``data/synthetic/`` on data elsewhere)."""
    if isinstance(node, dict):
        return type(node)({k: retarget_paths(v, old_prefix, new_prefix) for k, v in node.items()})
    if isinstance(node, (list, tuple)):
        return type(node)(retarget_paths(v, old_prefix, new_prefix) for v in node)
    if isinstance(node, str) and node.startswith(old_prefix.rstrip('/') + '/'):
        return osp.join(new_prefix, node[len(old_prefix.rstrip('/')) + 1:])
    return node


def train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision (bf16)')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from the given checkpoint, or the latest one in the work dir')
    return add_common_args(parser)


def test_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file (none: every weight from init_cfg)')
    parser.add_argument('--out', help='X.json: the metrics; X.pkl: dump predictions for offline evaluation '
                        '(stage 2: one file per task, X_<task>.pkl)')
    return add_common_args(parser)


def train_main(argv: Optional[List[str]] = None):
    """``tools/train.py``; returns the runner."""
    from .strategies import build_runner
    args = train_parser().parse_args(argv)
    cfg = start_run(args)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('dtype', 'bfloat16')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    runner = build_runner(cfg)  # runner_type='FlexibleRunner' (e.g. FSDP) or mmengine's Runner
    runner.train()
    finish_distributed()
    return runner


def test_main(argv: Optional[List[str]] = None) -> dict:
    """``tools/test.py``; returns the metrics."""
    from .hooks import InitWeightsHook
    from .strategies import build_runner
    args = test_parser().parse_args(argv)
    args.checkpoint = args.checkpoint or None  # tools/dist_test.sh CONFIG '' N: nothing trained
    if args.checkpoint is not None and not is_remote(args.checkpoint) and not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint {args.checkpoint!r} does not exist')
    cfg = start_run(args)
    cfg.load_from = args.checkpoint
    runner = build_runner(cfg)
    if not any(isinstance(hook, InitWeightsHook) for hook in runner.hooks):  # never test a random model
        runner.register_hook(InitWeightsHook())
    if args.out is not None and not args.out.endswith('.json'):
        from mmengine.evaluator import DumpResults
        evaluators = getattr(runner.test_loop, 'evaluators', None)  # MultiTaskTestLoop: one file per task
        if evaluators:
            stem, ext = osp.splitext(args.out)
            for task, evaluator in evaluators.items():
                evaluator.metrics.append(DumpResults(out_file_path=f'{stem}_{task}{ext}'))
        else:
            runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out is not None and args.out.endswith('.json') and runner.rank == 0:
        write_json(args.out, dict(config=args.config, checkpoint=args.checkpoint, lora=args.lora, metrics=metrics))
    finish_distributed()
    return metrics


def write_json(path: str, obj) -> None:
    """Atomically (a reader never sees half a file); numpy / torch scalars as numbers."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o))
    os.replace(tmp, path)
