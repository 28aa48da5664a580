"""Small EVA-CLIP-shaped CLIP models, built by open_clip itself, written as full EVA-CLIP checkpoints.

The vision trunk is timm's ``Eva`` with the shape of EVAViT's ``tiny`` / ``tiny-post`` archs (registered in timm
as ``visft_eva_tiny_patch14_224`` / ``visft_eva_tiny_post_patch14_224`` when this module is imported, so that
open_clip's ``TimmModel`` builds it by name, as it builds ``eva_giant_patch14_224`` for EVA01-g-14); the text
tower is open_clip's ``TextTransformer`` (``custom_text``, as EVA-CLIP's).  So

* :func:`build_tiny_open_clip` returns an ordinary open_clip ``CustomTextCLIP`` (train it contrastively with
  open_clip's ``ClipLoss``, e.g. on the synthetic captions);
* :func:`export_eva_clip` / :func:`write_tiny_eva_clip` write it in the original EVA-CLIP layout (``visual.*``,
  ``text.*``, ``logit_scale``) or open_clip's (``visual.trunk.*``), which ``visft_mm.EVAViT`` (vision trunk) and
  ``visft_mm.ZeroShotCLIP`` (head, text tower) load like the real EVA-CLIP files.
"""
import json
import os
import os.path as osp
from typing import Dict

import numpy as np
import torch
from PIL import Image, ImageDraw
from timm.models import build_model_with_cfg, register_model
from timm.models.eva import Eva

from visft_mm.models.zero_shot.clip_towers import to_eva_clip_layout

# the tiny archs of visft_mm.EVAViT as timm Eva kwargs
TINY_EVA = dict(img_size=224, patch_size=14, embed_dim=192, depth=4, num_heads=3, mlp_ratio=4.0)
TIMM_NAMES = {False: 'visft_eva_tiny_patch14_224', True: 'visft_eva_tiny_post_patch14_224'}
EVAVIT_ARCHS = {False: 'tiny', True: 'tiny-post'}


@register_model
def visft_eva_tiny_patch14_224(pretrained: bool = False, **kwargs) -> Eva:
    """EVA-01-style (pre-norm) Eva with EVAViT ``tiny``'s shape."""
    return _tiny_eva(pretrained, **kwargs)


@register_model
def visft_eva_tiny_post_patch14_224(pretrained: bool = False, **kwargs) -> Eva:
    """EVA-02-E-style (post-norm) Eva with EVAViT ``tiny-post``'s shape."""
    return _tiny_eva(pretrained, use_post_norm=True, **kwargs)


def _tiny_eva(pretrained: bool, **kwargs) -> Eva:
    if pretrained:
        raise ValueError('the tiny test Eva models have no pretrained weights')
    return build_model_with_cfg(Eva, 'visft_eva_tiny', pretrained=False, **dict(TINY_EVA, **kwargs))


def tiny_clip_config(post_norm: bool = False, embed_dim: int = 64, text_width: int = 64, text_layers: int = 2,
                     text_heads: int = 2, context_length: int = 77) -> dict:
    """An open_clip model config shaped like ``EVA01-g-14`` / ``EVA02-E-14-plus`` (timm Eva trunk, class-token
    pooling, the trunk's head as the projection, custom text tower), small.  ``ZeroShotCLIP(text_model=...)``
    takes it as is."""
    return dict(
        embed_dim=embed_dim,
        vision_cfg=dict(image_size=224, timm_model_name=TIMM_NAMES[post_norm], timm_model_pretrained=False,
                        timm_pool='token', timm_proj=None),
        text_cfg=dict(context_length=context_length, vocab_size=49408, width=text_width, heads=text_heads,
                      layers=text_layers),
        custom_text=True)


def build_tiny_open_clip(seed: int = 0, post_norm: bool = False, randomize: bool = True, **cfg_kwargs):
    """open_clip's ``CustomTextCLIP`` for :func:`tiny_clip_config`.  ``randomize`` perturbs every weight (norms
    and biases included) so that a wrongly mapped tensor cannot go unnoticed in equivalence tests."""
    from open_clip.model import CustomTextCLIP
    cfg = tiny_clip_config(post_norm, **cfg_kwargs)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = CustomTextCLIP(embed_dim=cfg['embed_dim'], vision_cfg=cfg['vision_cfg'], text_cfg=cfg['text_cfg'])
        if randomize:
            with torch.no_grad():
                for name, param in model.named_parameters():
                    if name != 'logit_scale':
                        param.add_(torch.randn_like(param) * 0.02)
    return model.eval()


def export_eva_clip(model, layout: str = 'eva_clip') -> Dict[str, torch.Tensor]:
    """A timm-trunk open_clip model's state dict in the EVA-CLIP original layout or open_clip's."""
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if layout == 'open_clip':
        return state
    if layout == 'eva_clip':
        return to_eva_clip_layout(state)
    raise ValueError(f'layout must be "eva_clip" or "open_clip", got {layout!r}')


def write_tiny_eva_clip(path: str, seed: int = 0, post_norm: bool = False, layout: str = 'eva_clip') -> str:
    """Write a random tiny CLIP as a full checkpoint file; returns ``path``."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    torch.save(export_eva_clip(build_tiny_open_clip(seed, post_norm), layout), path)
    return path


SHAPE_CLASSES = ('circle', 'square', 'star', 'triangle')  # sorted: the folder order is the label order
_SHAPE_COLORS = ((220, 40, 40), (40, 180, 60), (40, 70, 220), (235, 210, 40))


def _shape_outline(kind: str, cx: float, cy: float, r: float, angle: float):
    if kind == 'circle':
        n, radii = 48, [r] * 48
    elif kind == 'square':
        n, radii, angle = 4, [r] * 4, angle + np.pi / 4
    elif kind == 'triangle':
        n, radii = 3, [r] * 3
    else:  # star
        n, radii = 10, [r if i % 2 == 0 else 0.45 * r for i in range(10)]
    t = angle - np.pi / 2 + np.arange(n) * 2 * np.pi / n
    return [(cx + q * np.cos(a), cy + q * np.sin(a)) for q, a in zip(radii, t)]


def write_shape_folders(out_dir: str, images_per_class: int = 8, image_size: int = 96, jitter: bool = True,
                        seed: int = 0) -> str:
    """One coloured shape per image, in a class-folder tree (``out_dir/<shape>/<n>.png``, the EuroSAT /
    ImageNet-val layout) for zero-shot classification demos and tests.  ``jitter=False`` draws every image of a
    class identically (centred, one colour per class)."""
    rng = np.random.RandomState(seed)
    for label, kind in enumerate(SHAPE_CLASSES):
        folder = osp.join(out_dir, kind)
        os.makedirs(folder, exist_ok=True)
        for index in range(images_per_class):
            if jitter:
                r = rng.uniform(0.2, 0.4) * image_size
                cx, cy = rng.uniform(r, image_size - r, size=2)
                color, angle = _SHAPE_COLORS[rng.randint(len(_SHAPE_COLORS))], rng.uniform(0, 2 * np.pi)
            else:
                r, cx, cy, color, angle = 0.35 * image_size, image_size / 2, image_size / 2, _SHAPE_COLORS[label], 0.0
            image = Image.new('RGB', (image_size, image_size), (128, 128, 128))
            ImageDraw.Draw(image).polygon(_shape_outline(kind, cx, cy, r, angle), fill=color)
            image.save(osp.join(folder, f'{index:04d}.png'))
    return out_dir


_COLOR_NAMES = ('red', 'green', 'blue', 'yellow')


def write_shape_retrieval(out_dir: str, num_images: int = 8, captions_per_image: int = 5, image_size: int = 96,
                          seed: int = 0) -> str:
    """Images of one or two coloured shapes with true captions, in the Flickr30k Karpathy layout
    (``out_dir/dataset_flickr30k.json`` + ``out_dir/flickr30k-images/<n>.jpg``; every image in the test split),
    for image-text retrieval demos and tests.  Returns the split file's path."""
    rng = np.random.RandomState(seed)
    image_dir = osp.join(out_dir, 'flickr30k-images')
    os.makedirs(image_dir, exist_ok=True)
    images, sentid = [], 0
    for index in range(num_images):
        image = Image.new('RGB', (image_size, image_size), (128, 128, 128))
        phrases = []
        for _ in range(rng.randint(1, 3)):
            kind, color = rng.randint(len(SHAPE_CLASSES)), rng.randint(len(_SHAPE_COLORS))
            r = rng.uniform(0.12, 0.25) * image_size
            cx, cy = rng.uniform(r, image_size - r, size=2)
            ImageDraw.Draw(image).polygon(_shape_outline(SHAPE_CLASSES[kind], cx, cy, r, rng.uniform(0, 6.3)),
                                          fill=_SHAPE_COLORS[color])
            phrases.append(f'a {_COLOR_NAMES[color]} {SHAPE_CLASSES[kind]}')
        name = f'{1000 + index}.jpg'
        image.save(osp.join(image_dir, name), quality=95)
        body = ' and '.join(phrases)
        pool = [f'{body} on a gray background', f'a picture of {body}', f'{body}', f'a drawing showing {body}',
                f'an image with {body}', f'{body} drawn on gray']
        sentences = [dict(raw=pool[k % len(pool)], tokens=pool[k % len(pool)].split(), imgid=index,
                          sentid=sentid + k) for k in range(captions_per_image)]
        sentid += captions_per_image
        images.append(dict(filename=name, imgid=index, split='test', sentids=[s['sentid'] for s in sentences],
                           sentences=sentences))
    path = osp.join(out_dir, 'dataset_flickr30k.json')
    with open(path, 'w') as f:
        json.dump(dict(images=images, dataset='flickr30k'), f)
    return path
