"""A tiny synthetic COCO panoptic set: shapes (things) over a sky / ground scene (stuff), in the real layout.

Written under ``out_dir``::

    coco_panoptic/{train,val}2017/<12-digit id>.jpg
    coco_panoptic/annotations/panoptic_{train,val}2017.json    (images, annotations with segments_info,
                                                                categories with isthing / color)
    coco_panoptic/annotations/panoptic_{train,val}2017/<12-digit id>.png   (RGB, id = R + 256 G + 256^2 B)

so that mmdet's ``CocoPanopticDataset`` / ``LoadPanopticAnnotations`` / ``CocoPanopticMetric`` read it unchanged.
Every pixel belongs to one segment (the sky or ground it shows, or the shape drawn on it); segment areas and boxes
are counted from the PNG itself.
"""
import json
import os
import os.path as osp
from typing import Dict

import numpy as np
from PIL import Image, ImageDraw

# things first, then stuff, with non-contiguous ids (as COCO's 1-90 things and 92-200 stuff)
THING_CATEGORIES = (dict(id=1, name='circle', supercategory='shape', isthing=1, color=[220, 40, 40]),
                    dict(id=3, name='square', supercategory='shape', isthing=1, color=[40, 70, 220]),
                    dict(id=7, name='triangle', supercategory='shape', isthing=1, color=[235, 210, 40]))
STUFF_CATEGORIES = (dict(id=119, name='sky', supercategory='sky', isthing=0, color=[170, 200, 235]),
                    dict(id=149, name='ground', supercategory='ground', isthing=0, color=[120, 90, 60]))
CATEGORIES = THING_CATEGORIES + STUFF_CATEGORIES
THING_CLASSES = tuple(c['name'] for c in THING_CATEGORIES)
STUFF_CLASSES = tuple(c['name'] for c in STUFF_CATEGORIES)


def _draw_thing(draw: ImageDraw.ImageDraw, name: str, cx: float, cy: float, r: float, fill):
    if name == 'circle':
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif name == 'square':
        draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=fill)
    else:
        draw.polygon([(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)], fill=fill)


def _id2rgb(ids: np.ndarray) -> np.ndarray:
    return np.stack([ids % 256, ids // 256 % 256, ids // 256 ** 2], axis=-1).astype(np.uint8)


def _make_split(rng, root: str, split: str, num_images: int, first_id: int, image_size, max_things: int):
    img_dir, png_dir = osp.join(root, f'{split}2017'), osp.join(root, 'annotations', f'panoptic_{split}2017')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(png_dir, exist_ok=True)
    (w_lo, w_hi), (h_lo, h_hi) = image_size
    images, annotations = [], []
    for index in range(num_images):
        image_id = first_id + index
        width, height = int(rng.randint(w_lo, w_hi + 1)), int(rng.randint(h_lo, h_hi + 1))
        # stuff: a wavy horizon between sky (above) and ground (below)
        horizon = height * rng.uniform(0.35, 0.65) + height * 0.06 * np.sin(
            np.arange(width) / width * 2 * np.pi * rng.uniform(0.5, 2) + rng.uniform(0, 6.3))
        below = np.arange(height)[:, None] >= horizon[None, :]
        segments = np.where(below, STUFF_CATEGORIES[1]['id'], STUFF_CATEGORIES[0]['id']).astype(np.int64)
        canvas = Image.new('L', (width, height), 0)  # thing index + 1 per pixel (later ones on top)
        draw = ImageDraw.Draw(canvas)
        things = []
        for k in range(int(rng.randint(1, max_things + 1))):
            category = THING_CATEGORIES[rng.randint(len(THING_CATEGORIES))]
            r = rng.uniform(0.1, 0.22) * min(width, height)
            cx, cy = rng.uniform(r, width - r), rng.uniform(r, height - r)
            _draw_thing(draw, category['name'], cx, cy, r, fill=k + 1)
            things.append(category)
        drawn = np.asarray(canvas)
        for k, category in enumerate(things):
            segments[drawn == k + 1] = 1000 * (k + 1) + category['id']  # a unique id per thing
        # the photo: each segment in its category's colour, with a little noise
        colors = {c['id']: c['color'] for c in CATEGORIES}
        photo = np.zeros((height, width, 3), dtype=np.int16)
        segments_info = []
        for segment_id in np.unique(segments):
            mask = segments == segment_id
            category_id = int(segment_id % 1000)
            photo[mask] = colors[category_id]
            ys, xs = np.nonzero(mask)
            x0, y0 = int(xs.min()), int(ys.min())
            segments_info.append(dict(id=int(segment_id), category_id=category_id, iscrowd=0, area=int(mask.sum()),
                                      bbox=[x0, y0, int(xs.max()) - x0 + 1, int(ys.max()) - y0 + 1]))
        photo = np.clip(photo + rng.randint(-10, 11, size=(height, width, 1)), 0, 255).astype(np.uint8)
        file_name = f'{image_id:012d}.jpg'
        Image.fromarray(photo).save(osp.join(img_dir, file_name), quality=95)
        Image.fromarray(_id2rgb(segments)).save(osp.join(png_dir, file_name.replace('.jpg', '.png')))
        images.append(dict(license=1, file_name=file_name, coco_url='', height=height, width=width,
                           date_captured='2017-01-01 00:00:00', flickr_url='', id=image_id))
        annotations.append(dict(image_id=image_id, file_name=file_name.replace('.jpg', '.png'),
                                segments_info=segments_info))
    return images, annotations


def generate_panoptic_data(out_dir: str, num_train: int = 24, num_val: int = 8, seed: int = 0, max_things: int = 3,
                           image_size=((160, 224), (160, 224))) -> Dict[str, str]:
    """Write ``coco_panoptic/`` under ``out_dir``; returns ``{'panoptic_train': json path, ...}``."""
    if num_train < 1 or num_val < 1 or max_things < 1:
        raise ValueError(f'num_train, num_val and max_things must be >= 1, got {num_train}, {num_val}, {max_things}')
    rng = np.random.RandomState(seed)
    root = osp.join(out_dir, 'coco_panoptic')
    info = dict(description='visft_mm synthetic COCO panoptic', version='1.0', year=2017, contributor='visft_mm',
                date_created='2017/01/01', url='')
    written = {}
    for split, num, first_id in (('train', num_train, 300001), ('val', num_val, 700001)):
        images, annotations = _make_split(rng, root, split, num, first_id, image_size, max_things)
        path = osp.join(root, 'annotations', f'panoptic_{split}2017.json')
        with open(path, 'w') as f:
            json.dump(dict(info=info, licenses=[dict(id=1, name='CC0', url='')], images=images,
                           annotations=annotations, categories=[dict(c) for c in CATEGORIES]), f)
        written[f'panoptic_{split}'] = path
    return written
