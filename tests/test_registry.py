"""Registry scopes: visft_mm configs reach upstream modules, upstream configs reach visft_mm modules."""
import pytest
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope

from visft_mm.registry import MODELS


@MODELS.register_module(force=True)
class _RegistryProbe(nn.Module):
    """A throwaway visft_mm model used to test cross-scope building."""

    def __init__(self, child=None):
        super().__init__()
        self.child = MODELS.build(child) if child else None


def _build_in_scope(scope, cfg):
    with DefaultScope.overwrite_default_scope(scope):
        from mmengine.registry import MODELS as ROOT_MODELS
        return ROOT_MODELS.build(cfg)


def test_registry_nodes_are_children_of_mmengine_root():
    from mmengine.registry import MODELS as ROOT_MODELS
    assert MODELS.scope == 'visft_mm'
    assert MODELS.parent is ROOT_MODELS
    assert ROOT_MODELS._children['visft_mm'] is MODELS


def test_visft_scope_builds_upstream_modules_by_scoped_name():
    from mmdet.models.losses import CrossEntropyLoss
    from mmpretrain.models.backbones import ResNet
    probe = _build_in_scope('visft_mm', dict(type='_RegistryProbe',
                                             child=dict(type='mmdet.CrossEntropyLoss')))
    assert isinstance(probe.child, CrossEntropyLoss)
    resnet = _build_in_scope('visft_mm', dict(type='mmpretrain.ResNet', depth=18))
    assert isinstance(resnet, ResNet)


def test_upstream_config_builds_visft_module_after_custom_imports(tmp_path):
    from mmdet.models.losses import CrossEntropyLoss
    cfg_file = tmp_path / 'user_cfg.py'
    cfg_file.write_text("custom_imports = dict(imports=['visft_mm'], allow_failed_imports=False)\n"
                        "default_scope = 'mmdet'\n"
                        "model = dict(type='visft_mm._RegistryProbe', child=dict(type='CrossEntropyLoss'))\n")
    cfg = Config.fromfile(str(cfg_file))
    model = _build_in_scope(cfg.default_scope, cfg.model)
    assert isinstance(model, _RegistryProbe)
    # the child's unscoped name resolves in the config's own (mmdet) scope
    assert isinstance(model.child, CrossEntropyLoss)


@pytest.mark.parametrize('scope', ['mmpretrain', 'mmocr'])
def test_other_upstream_scopes_find_visft_modules(scope):
    init_default_scope(scope)
    assert isinstance(_build_in_scope(scope, dict(type='visft_mm._RegistryProbe')), _RegistryProbe)


def test_unknown_name_fails_with_scope_in_message():
    with pytest.raises(KeyError, match='NoSuchModule'):
        _build_in_scope('visft_mm', dict(type='NoSuchModule'))
