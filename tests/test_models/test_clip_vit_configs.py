"""The CLIP-family configs build the real towers (meta device: no memory, no weights), in exactly the shapes of timm's
and open_clip's own models, and every head is wired to the family's width."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from visft_mm.models.backbones import CLIPViT
from visft_mm.models.weights.lora import plain_state
from visft_mm.registry import MODELS

ROOT = osp.join(osp.dirname(__file__), '..', '..')
# config suffix -> (timm model, open_clip model config, the open_clip keys that are the projection, not the trunk)
FAMILIES = dict(eva02_l=('eva02_large_patch14_clip_224', 'EVA02-L-14', ('visual.trunk.head.',)),
                openai_l=('vit_large_patch14_clip_quickgelu_224', 'ViT-L-14-quickgelu', ('visual.proj',)),
                siglip_so400m=('vit_so400m_patch14_siglip_224', 'ViT-SO400M-14-SigLIP', ()))


def _shapes(state, skip=()):
    return {k: tuple(v.shape) for k, v in state.items() if not k.startswith(skip)}


@pytest.mark.parametrize('family', FAMILIES)
def test_stage2_config_builds_timm_and_open_clip_shapes(family):
    import open_clip
    import timm
    from open_clip.model import CLIP, CustomTextCLIP
    timm_name, clip_name, projection = FAMILIES[family]
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'visft', f'stage2_joint_{family}.py'))
    clip_cfg = dict(open_clip.get_model_config(clip_name))
    with torch.device('meta'):
        backbone = MODELS.build(cfg.model.backbone)
        reference = timm.create_model(timm_name, pretrained=False, num_classes=0)
        clip = (CustomTextCLIP if clip_cfg.pop('custom_text', False) else CLIP)(**clip_cfg)
    assert isinstance(backbone, CLIPViT)
    plain = plain_state(backbone.state_dict())
    assert _shapes(backbone.export_checkpoint(plain, 'timm')) == _shapes(reference.state_dict())
    visual = {k: v for k, v in clip.state_dict().items() if k.startswith('visual.')}
    assert _shapes(backbone.export_checkpoint(plain, 'open_clip')) == _shapes(visual, projection)
    width, depth, r = backbone.embed_dims, len(backbone.blocks), cfg.model.backbone.lora.r
    assert sum(p.numel() for p in backbone.parameters() if p.requires_grad) == depth * 2 * 2 * r * width


def _family_of(path):
    name = osp.splitext(osp.basename(path))[0]
    if name.startswith(tuple(FAMILIES)):  # zero-shot configs: the nine sets share one model base, read two
        return next(f for f in FAMILIES if name.startswith(f)) if name.endswith(('imagenet1k', 'coco')) else None
    return next((f for f in FAMILIES if name.endswith(f)), None)


def _family_configs():
    """The families' configs; stage 1 and the probes in the default suite, the rest slow (each read costs ~1 s)."""
    paths = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
                   if _family_of(p) and '_base_' not in p)
    return [p if osp.basename(p).startswith(('stage1_', 'vitstr_', 'linear_'))
            else pytest.param(p, marks=pytest.mark.slow) for p in paths]


@pytest.mark.parametrize('path', _family_configs())
def test_family_configs_wire_the_width(path):
    """Every stage-1 / probe / zero-shot config of a family builds CLIPViT of that family, and whatever reads its
    feature takes the family's width."""
    cfg = Config.fromfile(path)
    if 'benchmarks' in cfg:  # a suite: its arch and its benchmarks' configs
        assert cfg.arch in CLIPViT.arch_zoo
        for bench in cfg.benchmarks.values():
            assert osp.isfile(osp.join(ROOT, bench['config'])), bench['config']
        return
    backbone = cfg.model.backbone
    assert backbone.type.split('.')[-1] == 'CLIPViT' and backbone.arch in CLIPViT.arch_zoo
    width = CLIPViT.arch_zoo[backbone.arch]['embed_dims']
    readers = [cfg.model.get('neck', {}) or {}, cfg.model.get('panoptic_head', {}) or {},
               cfg.model.get('encoder', {}) or {}, cfg.model.get('head', {}) or {}]
    for reader in readers:
        if 'in_channels' in reader:
            channels = reader['in_channels']
            assert (channels[0] if isinstance(channels, (list, tuple)) else channels) == width, path
