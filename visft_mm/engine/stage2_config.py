"""Stage 2's configuration read from the stage-1 configs that trained its heads (one helper for every stage-2
config, called inside the config file).

A stage-2 config names its stage-1 configs; the shared backbone, each head's model, pipelines, dataloaders and
metric come from them, so an edit to a stage-1 config reaches stage 2 and the two cannot drift apart::

    _base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
    from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_, see below)
    _stage1 = stage2_from_stage1(caption='{{ fileDirname }}/stage1_caption_eva_g.py', ...)
    model = dict(backbone=_stage1.backbone, heads=_stage1.heads)

(mmengine reads a config with an import before ``_base_`` as a lazy-import config: import after it.)
"""
import os.path as osp

from mmengine.config import Config, ConfigDict


def last_checkpoint(config_path: str, cfg: Config) -> str:
    """The last checkpoint a stage-1 run of ``config_path`` writes with tools/train.py's work dir
    (``work_dirs/<config name>`` unless the config sets ``work_dir``): ``<work_dir>/iter_<max_iters>.pth``."""
    work_dir = cfg.get('work_dir') or osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
    return osp.join(work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')


def stage2_from_stage1(**stage1_configs: str) -> ConfigDict:
    """Read ``{task: stage-1 config file}`` into the stage-2 parts.

    Returns a ConfigDict with ``backbone`` (the one backbone every stage-1 config trained on: stage 2 adds its
    LoRA), ``heads`` (``{task: dict(model=<stage-1 model without its backbone>, checkpoint=<stage-1 run's last
    checkpoint>)}``) and ``train_dataloader`` / ``val_dataloader`` / ``val_evaluator`` as ``{task: stage-1 one}``.
    """
    if not stage1_configs:
        raise ValueError('stage2_from_stage1 needs <task>=<stage-1 config file>, ...')
    configs = {task: Config.fromfile(path) for task, path in stage1_configs.items()}
    backbones = {task: cfg.model.pop('backbone') for task, cfg in configs.items()}
    first = next(iter(backbones))
    for task, backbone in backbones.items():
        if backbone != backbones[first]:
            raise ValueError(f'stage 2 shares one backbone, but {stage1_configs[task]} trained the {task} head on '
                             f'{backbone.to_dict()} and {stage1_configs[first]} the {first} head on '
                             f'{backbones[first].to_dict()}')
    return ConfigDict(
        backbone=backbones[first],
        heads={task: dict(model=cfg.model, checkpoint=last_checkpoint(stage1_configs[task], cfg))
               for task, cfg in configs.items()},
        train_dataloader={task: cfg.train_dataloader for task, cfg in configs.items()},
        val_dataloader={task: cfg.val_dataloader for task, cfg in configs.items()},
        val_evaluator={task: cfg.val_evaluator for task, cfg in configs.items()})
