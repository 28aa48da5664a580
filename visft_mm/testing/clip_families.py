"""Tiny random open_clip models of each :class:`visft_mm.CLIPViT` family, built by open_clip (and timm) itself.

The families' open_clip configs, small: EVA02-L-14 (timm ``Eva`` trunk with separate q/k/v, SwiGLU, sub-LN, rope;
custom text tower), ViT-L-14-quickgelu (open_clip's own ``VisionTransformer`` and ``CLIP``), ViT-SO400M-14-SigLIP
(timm ``VisionTransformer`` without class token, ``map`` pool, no projection; SigLIP's text tower: no causal mask,
last-token pool, projection bias, ``logit_bias``).  The two timm trunks are registered in timm under
:data:`TIMM_NAMES` when this module is imported (as :mod:`.synthetic_clip` registers its tiny Eva), so open_clip's
``TimmModel`` builds them by name.  The SigLIP twin uses open_clip's CLIP BPE tokenizer: the real model's
SentencePiece tokenizer is a Hugging Face download.

``write_family_files`` writes a model in open_clip's layout (the full CLIP) and timm's (the vision trunk only,
made by timm's own converter for the OpenAI tower), the files :class:`CLIPViT` and ``ZeroShotCLIP`` read.
"""
import os
import os.path as osp
from functools import partial
from typing import Dict

import torch
from timm.models import build_model_with_cfg, register_model
from timm.models.eva import Eva
from timm.models.vision_transformer import VisionTransformer

TINY = dict(img_size=224, patch_size=14, embed_dim=64, depth=2, num_heads=2)
TIMM_NAMES = dict(eva02='visft_eva02_tiny_patch14_clip_224', siglip='visft_siglip_tiny_patch14_224')
CLIPVIT_ARCHS = dict(eva02='eva02-tiny', openai='openai-tiny', siglip='siglip-tiny')
FAMILIES = tuple(CLIPVIT_ARCHS)
_TEXT = dict(context_length=77, vocab_size=49408, width=64, heads=2, layers=2)


@register_model
def visft_eva02_tiny_patch14_clip_224(pretrained: bool = False, **kwargs) -> Eva:
    """timm's ``eva02_large_patch14_clip_224`` structure at CLIPViT ``eva02-tiny``'s size."""
    args = dict(TINY, mlp_ratio=4 * 2 / 3, qkv_fused=False, swiglu_mlp=True, scale_mlp=True, scale_attn_inner=True,
                use_rot_pos_emb=True, ref_feat_shape=(16, 16), global_pool=kwargs.pop('global_pool', 'token'))
    return build_model_with_cfg(Eva, 'visft_eva02_tiny', pretrained=False, **dict(args, **kwargs))


@register_model
def visft_siglip_tiny_patch14_224(pretrained: bool = False, **kwargs) -> VisionTransformer:
    """timm's ``vit_so400m_patch14_siglip_224`` structure at CLIPViT ``siglip-tiny``'s size."""
    args = dict(TINY, mlp_ratio=3.7362, class_token=False, global_pool=kwargs.pop('global_pool', 'map'))
    return build_model_with_cfg(VisionTransformer, 'visft_siglip_tiny', pretrained=False, **dict(args, **kwargs))


def family_clip_config(family: str, embed_dim: int = 32) -> dict:
    """The family's open_clip model config, tiny (``ZeroShotCLIP(text_model=...)`` takes it as is)."""
    if family == 'eva02':
        return dict(embed_dim=embed_dim, custom_text=True, text_cfg=dict(_TEXT),
                    vision_cfg=dict(image_size=224, timm_model_name=TIMM_NAMES['eva02'], timm_model_pretrained=False,
                                    timm_pool='token', timm_proj=None))
    if family == 'openai':
        return dict(embed_dim=embed_dim, quick_gelu=True, text_cfg=dict(_TEXT),
                    vision_cfg=dict(image_size=224, layers=TINY['depth'], width=TINY['embed_dim'],
                                    head_width=TINY['embed_dim'] // TINY['num_heads'], patch_size=14))
    if family == 'siglip':  # no projection: the CLIP embedding is the vision width
        return dict(embed_dim=TINY['embed_dim'], custom_text=True, init_logit_bias=-10,
                    vision_cfg=dict(image_size=224, timm_model_name=TIMM_NAMES['siglip'], timm_model_pretrained=False,
                                    timm_pool='map', timm_proj='none'),
                    text_cfg=dict(_TEXT, mlp_ratio=3.7362, no_causal_mask=True, proj_bias=True, pool_type='last',
                                  norm_kwargs=dict(eps=1e-6)))
    raise ValueError(f'unknown family {family!r}; choose one of {FAMILIES}')


def build_family_open_clip(family: str, seed: int = 0, randomize: bool = True):
    """open_clip's ``CLIP`` / ``CustomTextCLIP`` for :func:`family_clip_config`; ``randomize`` perturbs every weight
    (norms and biases too) so that a wrongly mapped tensor shows in equivalence tests."""
    from open_clip.model import CLIP, CustomTextCLIP
    cfg = dict(family_clip_config(family))
    cls = CustomTextCLIP if cfg.pop('custom_text', False) else CLIP
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = cls(**cfg)
        if randomize:
            with torch.no_grad():
                for name, param in model.named_parameters():
                    if name not in ('logit_scale', 'logit_bias'):
                        param.add_(torch.randn_like(param) * 0.02)
    return model.eval()


def timm_trunk(family: str, model) -> torch.nn.Module:
    """The vision tower as a timm model: open_clip's trunk itself (EVA02, SigLIP), or timm's
    ``vit_large_patch14_clip_quickgelu_224`` structure filled by timm's own OpenAI-CLIP converter (OpenAI)."""
    if family != 'openai':
        return model.visual.trunk
    from timm.layers import LayerNorm
    from timm.models.vision_transformer import checkpoint_filter_fn
    embed_dim = model.visual.proj.shape[1]
    trunk = VisionTransformer(**TINY, pre_norm=True, norm_layer=partial(LayerNorm, eps=1e-5),
                              act_layer='quick_gelu', num_classes=embed_dim)
    trunk.load_state_dict(checkpoint_filter_fn(model.state_dict(), trunk), strict=True)
    return trunk.eval()


def write_family_files(family: str, out_dir: str, seed: int = 0) -> Dict[str, str]:
    """{'open_clip': full CLIP file, 'timm': vision-trunk file} of a random tiny model of ``family``."""
    os.makedirs(out_dir, exist_ok=True)
    model = build_family_open_clip(family, seed)
    paths = {layout: osp.join(out_dir, f'tiny_{family}_{layout}.pt') for layout in ('open_clip', 'timm')}
    torch.save({k: v.detach().clone() for k, v in model.state_dict().items()}, paths['open_clip'])
    torch.save({k: v.detach().clone() for k, v in timm_trunk(family, model).state_dict().items()}, paths['timm'])
    return paths


if __name__ == '__main__':  # python -m visft_mm.testing.clip_families data/synthetic/checkpoints
    import sys
    if len(sys.argv) != 2:
        raise SystemExit('usage: python -m visft_mm.testing.clip_families OUT_DIR')
    for index, name in enumerate(FAMILIES):
        print(write_family_files(name, sys.argv[1], seed=index))
