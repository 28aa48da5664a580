"""The synthetic world's vocabulary, shared by every generator of :mod:`visft_mm.testing`: shape kinds (as COCO
categories), colours, the background, and how a shape is outlined and rasterised.

It imports no other generator, so each of them (COCO, GOI, zero-shot, ...) imports it without a cycle.
"""
from typing import Tuple

import numpy as np
from PIL import Image, ImageDraw

# Non-contiguous ids, as in COCO, so that category-id -> label mapping is exercised.
CATEGORIES = (
    dict(id=1, name='circle', supercategory='shape'),
    dict(id=3, name='square', supercategory='shape'),
    dict(id=7, name='triangle', supercategory='shape'),
    dict(id=12, name='star', supercategory='shape'),
)
SHAPES: Tuple[str, ...] = tuple(c['name'] for c in CATEGORIES)
COLORS = dict(red=(220, 40, 40), green=(40, 180, 60), blue=(40, 70, 220), yellow=(235, 210, 40))
BACKGROUND = (128, 128, 128)


def regular_outline(kind: str, cx: float, cy: float, r: float, angle: float) -> np.ndarray:
    """Polygon outline (x, y rows) of a shape kind centred at (cx, cy) with circumradius r, turned by angle."""
    if kind == 'circle':
        t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        radii = np.full_like(t, r)
    elif kind == 'square':
        t = angle + np.pi / 4 + np.arange(4) * np.pi / 2
        radii = np.full_like(t, r)
    elif kind == 'triangle':
        t = angle - np.pi / 2 + np.arange(3) * 2 * np.pi / 3
        radii = np.full_like(t, r)
    elif kind == 'star':
        t = angle - np.pi / 2 + np.arange(10) * np.pi / 5
        radii = np.where(np.arange(10) % 2 == 0, r, 0.45 * r)
    else:
        raise ValueError(f'unknown shape kind {kind!r}; kinds: {SHAPES}')
    return np.stack([cx + radii * np.cos(t), cy + radii * np.sin(t)], axis=1)


def rasterize(outline: np.ndarray, width: int, height: int) -> np.ndarray:
    """The (height, width) bool mask of a polygon outline."""
    canvas = Image.new('L', (width, height), 0)
    ImageDraw.Draw(canvas).polygon([tuple(p) for p in outline.tolist()], fill=1)
    return np.asarray(canvas, dtype=bool)
