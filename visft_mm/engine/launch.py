"""What tools/train.py and tools/test.py share: the launcher-facing command line and the config it yields."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction

from .dist import setup_cpu_distributed


def add_common_args(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument('--work-dir', help='the folder for logs, checkpoints and metrics')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, e.g. train_cfg.max_iters=10')
    parser.add_argument('--lora', help='a ViSFT LoRA (stage-2 checkpoint, peft adapter folder or official file) '
                        'merged into the backbone: sets the lora of the EVAPretrained init_cfg in the model config')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def load_config(args) -> Config:
    """The config with ``--cfg-options`` merged, the launcher set, a default work dir
    (``work_dirs/<config name>``) and, on a machine without a GPU under torchrun, a CPU process group."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if getattr(args, 'lora', None):
        set_backbone_lora(cfg, args.lora)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    setup_cpu_distributed(cfg)
    return cfg


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
