"""Stage 2's configuration read from the stage-1 configs that trained its heads (one helper for every stage-2
config, called inside the config file).

A stage-2 config names its stage-1 configs; the shared backbone, each head's model, pipelines, dataloaders and
metric come from them, so an edit to a stage-1 config reaches stage 2 and the two cannot drift apart.  The helper
returns the six top-level keys, so a stage-2 config (or a variant on other stage-1 runs) is one statement::

    _base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
    from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_, see below)
    model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
        caption='{{ fileDirname }}/stage1_caption_eva_g.py', ..., batch_size=_base_.stage2_batch_size)

(mmengine reads a config with an import before ``_base_`` as a lazy-import config: import after it.)
"""
import copy
import os.path as osp
from typing import Dict, NamedTuple, Optional

from mmengine.config import Config, ConfigDict


class Stage2Config(NamedTuple):
    """The top-level config keys a stage-2 config takes from its stage-1 configs (``{task: ...}`` each, but
    ``model``: ``dict(backbone=<the shared backbone>, heads={task: dict(model=..., checkpoint=...)})``, merged by
    mmengine over the ViSFT model base, which adds the LoRA)."""
    model: ConfigDict
    train_dataloader: ConfigDict
    val_dataloader: ConfigDict
    test_dataloader: ConfigDict
    val_evaluator: ConfigDict
    test_evaluator: ConfigDict


def last_checkpoint(config_path: str, cfg: Config) -> str:
    """The last checkpoint a stage-1 run of ``config_path`` writes with tools/train.py's work dir
    (``work_dirs/<config name>`` unless the config sets ``work_dir``): ``<work_dir>/iter_<max_iters>.pth``."""
    work_dir = cfg.get('work_dir') or osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
    return osp.join(work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')


def stage2_from_stage1(batch_size: Optional[Dict[str, int]] = None, **stage1_configs: str) -> Stage2Config:
    """Read ``{task: stage-1 config file}`` into the stage-2 parts.

    Args:
        batch_size: ``{task: per-GPU batch size}`` replacing the stage-1 dataloader's (stage 2 draws one task per
            iteration: the paper's 8 / 1 / 1 are ``stage2_batch_size`` of ``_base_/schedules/stage2_50k.py``).
        stage1_configs: ``task=<stage-1 config file>``; every one must have trained on the same backbone.
    """
    if not stage1_configs:
        raise ValueError('stage2_from_stage1 needs <task>=<stage-1 config file>, ...')
    unknown = sorted(set(batch_size or {}) - set(stage1_configs))
    if unknown:
        raise ValueError(f'stage2_from_stage1: batch_size names task(s) {unknown} that have no stage-1 config '
                         f'(tasks: {list(stage1_configs)})')
    configs = {task: Config.fromfile(path) for task, path in stage1_configs.items()}
    backbones = {task: cfg.model.pop('backbone') for task, cfg in configs.items()}
    first = next(iter(backbones))
    for task, backbone in backbones.items():
        if backbone != backbones[first]:
            raise ValueError(f'stage 2 shares one backbone, but {stage1_configs[task]} trained the {task} head on '
                             f'{backbone.to_dict()} and {stage1_configs[first]} the {first} head on '
                             f'{backbones[first].to_dict()}')
    train_dataloader = ConfigDict({task: cfg.train_dataloader for task, cfg in configs.items()})
    for task, size in (batch_size or {}).items():
        train_dataloader[task].batch_size = size
    val_dataloader = ConfigDict({task: cfg.val_dataloader for task, cfg in configs.items()})
    val_evaluator = ConfigDict({task: cfg.val_evaluator for task, cfg in configs.items()})
    model = ConfigDict(
        backbone=backbones[first],
        heads={task: dict(model=cfg.model, checkpoint=last_checkpoint(stage1_configs[task], cfg))
               for task, cfg in configs.items()})
    return Stage2Config(model=model, train_dataloader=train_dataloader, val_dataloader=val_dataloader,
                        test_dataloader=copy.deepcopy(val_dataloader), val_evaluator=val_evaluator,
                        test_evaluator=copy.deepcopy(val_evaluator))
