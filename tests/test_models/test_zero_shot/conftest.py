import pytest


def evavit_init_cfg(checkpoint):
    """The evaluation backbone contract's initializer for an EVA-CLIP file (no LoRA)."""
    return dict(type='EVAPretrained', checkpoint=checkpoint, lora=None)


def tiny_zero_shot_cfg(checkpoint, post_norm=False, **kwargs):
    from visft_mm.testing.synthetic_clip import tiny_clip_config
    return dict(
        type='ZeroShotCLIP',
        backbone=dict(type='EVAViT', arch='tiny-post' if post_norm else 'tiny', frozen=True, out_type='cls_token',
                      init_cfg=evavit_init_cfg(checkpoint)),
        text_model=tiny_clip_config(post_norm), **kwargs)


@pytest.fixture(scope='session')
def backbone_init_cfg():
    """``backbone_init_cfg(checkpoint)``: the EVAViT init_cfg of the evaluation backbone contract."""
    return evavit_init_cfg


@pytest.fixture(scope='session')
def zero_shot_cfg():
    """``zero_shot_cfg(checkpoint, post_norm=False, **model_kwargs)``: a tiny ZeroShotCLIP config."""
    return tiny_zero_shot_cfg


@pytest.fixture(scope='session')
def tiny_clip_files(tmp_path_factory):
    """{post_norm: (open_clip model, {layout: checkpoint path})} for random tiny EVA-CLIP-shaped models."""
    from visft_mm.testing.synthetic_clip import build_tiny_open_clip, export_eva_clip
    import torch
    root = tmp_path_factory.mktemp('tiny_clip')
    out = {}
    for post_norm in (False, True):
        model = build_tiny_open_clip(seed=int(post_norm), post_norm=post_norm)
        paths = {}
        for layout in ('eva_clip', 'open_clip'):
            paths[layout] = str(root / f'tiny_clip_{"post" if post_norm else "pre"}_{layout}.pt')
            torch.save(export_eva_clip(model, layout), paths[layout])
        out[post_norm] = (model, paths)
    return out


@pytest.fixture(scope='session')
def tiny_zero_shot(tiny_clip_files):
    """A ZeroShotCLIP (pre-norm tiny) initialised from the EVA-CLIP-layout file, with shape prompts."""
    from visft_mm.registry import MODELS
    _, paths = tiny_clip_files[False]
    model = MODELS.build(tiny_zero_shot_cfg(paths['eva_clip'], prompts=dict(
        classnames=['circle', 'square'], templates=['a photo of a {c}.', 'a drawing of a {c}.'])))
    model.init_weights()
    return model.eval()
