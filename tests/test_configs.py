"""The config tree: every config loads, there is one ``_base_`` tree, the shared constants are written once, and an
upstream (mmdet) config gets visft_mm's reliability hooks with one ``_base_`` line."""
import glob
import os
import os.path as osp

import pytest
from mmengine.config import Config

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
CONFIGS = osp.join(ROOT, 'configs')
ALL_CONFIGS = sorted(glob.glob(osp.join(CONFIGS, '**', '*.py'), recursive=True))
# literal values that only configs/_base_/constants.py may spell out
CONSTANTS = ('EVA01_CLIP_g_14_psz14_s11B.pt', 'EVA02_CLIP_E_psz14_plus_s9B.pt', '122.77', '68.50', '123.675', '58.395')


def test_every_config_loads():
    failed = {}
    for path in ALL_CONFIGS:
        try:
            Config.fromfile(path)
        except Exception as e:  # noqa: BLE001  (collect them all, report every broken file at once)
            failed[osp.relpath(path, CONFIGS)] = f'{type(e).__name__}: {e}'
    assert len(ALL_CONFIGS) > 100 and not failed, failed


def test_one_base_tree():
    trees = [osp.relpath(d, CONFIGS) for d, _, _ in os.walk(CONFIGS) if osp.basename(d) == '_base_']
    assert trees == ['_base_']


def test_shared_constants_are_written_once():
    retyped = {}
    for path in ALL_CONFIGS:
        if path == osp.join(CONFIGS, '_base_', 'constants.py'):
            continue
        with open(path) as f:
            text = f.read()
        found = [c for c in CONSTANTS if c in text]
        if found:
            retyped[osp.relpath(path, CONFIGS)] = found
    assert not retyped, f'use configs/_base_/constants.py (through a model base) instead: {retyped}'
    constants = Config.fromfile(osp.join(CONFIGS, '_base_', 'constants.py'))
    ocr = Config.fromfile(osp.join(CONFIGS, 'probes', 'ocr', 'vitstr_eva_e.py')).model
    goi = Config.fromfile(osp.join(CONFIGS, 'probes', 'goi', 'linear_eva_e.py')).model
    assert ocr.data_preprocessor.mean == goi.data_preprocessor.mean == constants.clip_mean
    assert ocr.backbone.init_cfg.checkpoint == goi.backbone.init_cfg.checkpoint == constants.eva_e_checkpoint


def _hooks(hooks):
    return sorted((h['type'].replace('visft_mm.', ''), tuple(sorted((k, v) for k, v in h.items() if k != 'type')))
                  for h in hooks)


def test_visft_runtime_holds_the_reliability_hooks_of_our_runtime():
    ours = Config.fromfile(osp.join(CONFIGS, '_base_', 'default_runtime.py'))
    upstream = Config.fromfile(osp.join(CONFIGS, '_base_', 'visft_runtime.py'))
    reliability = [ours.default_hooks.init_weights, ours.default_hooks.safe_load, ours.default_hooks.non_finite,
                   *ours.custom_hooks]
    assert _hooks(upstream.custom_hooks) == _hooks(reliability)
    assert set(upstream) == {'custom_hooks'}  # nothing that could clash with an upstream runtime's keys


def test_an_mmdet_config_gets_the_reliability_hooks_with_one_base_line(tmp_path):
    from mmengine.registry import init_default_scope

    import visft_mm.engine.hooks as visft_hooks
    from visft_mm.registry import HOOKS
    user = tmp_path / 'my_mmdet_runtime.py'
    user.write_text(f"_base_ = ['mmdet::_base_/default_runtime.py', "
                    f"'{osp.join(CONFIGS, '_base_', 'visft_runtime.py')}']\n"
                    "custom_imports = dict(imports=['visft_mm'], allow_failed_imports=False)\n")
    cfg = Config.fromfile(str(user))
    assert cfg.default_scope == 'mmdet' and cfg.default_hooks.checkpoint.type == 'CheckpointHook'
    init_default_scope('mmdet')
    built = [HOOKS.build(h) for h in cfg.custom_hooks]
    assert [type(h) for h in built] == [visft_hooks.InitWeightsHook, visft_hooks.SafeCheckpointLoadHook,
                                        visft_hooks.NonFiniteGuardHook, visft_hooks.TrainableCheckpointHook,
                                        visft_hooks.UnreadableImageCountHook]


@pytest.mark.parametrize('config', ['visft/stage2_joint.py', 'visft/stage2_joint_eva_g.py',
                                    'visft/demo/stage2_joint_tiny_synthetic.py'])
def test_stage2_configs_take_the_paper_batch_sizes_from_the_schedule(config):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    assert {task: loader.batch_size for task, loader in cfg.train_dataloader.items()} == cfg.stage2_batch_size \
        == dict(caption=8, detection=1, segmentation=1)
    assert cfg.test_dataloader == cfg.val_dataloader and cfg.test_evaluator == cfg.val_evaluator
