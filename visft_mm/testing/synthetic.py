"""Deterministic synthetic data in the real COCO / Karpathy / mmocr formats.

Tests and the demo need data that the real loaders accept unchanged, so the configs switch between synthetic and
real data by ``data_root`` alone.  Every image is drawn from a seeded generator; the annotations are computed from
the drawing itself (visible pixels after occlusion), so boxes, masks and captions are consistent and learnable.

Layout written under ``out_dir``::

    coco/train2017/000000100001.jpg ...        coco/val2017/...
    coco/annotations/instances_{train,val}2017.json   (boxes, polygon / RLE masks, iscrowd, area)
    coco/annotations/captions_{train,val}2017.json    (5 captions per image)
    coco/annotations/dataset_coco.json                (Karpathy split layout)
    checkpoints/eva_vit_tiny_eva_clip.pt              (a random small EVA-ViT in the EVA-CLIP file layout)

and, with ``benchmarks=True`` (:func:`generate_benchmark_data`), the out-of-domain benchmarks' data in their real
layouts: ``textrecog_lmdb/`` + ``textrecog_mmocr/`` (OCR probe), ``m3it/coco-goi/`` (GOI probe),
``shapes_cls/`` + ``shapes_retrieval/`` (zero-shot) and ``checkpoints/tiny_clip_eva_clip.pt`` (a random tiny CLIP).

The small "pretrained" backbone stands in for an EVA-CLIP file in the demo configs: it goes through the same
loading code, and head-only checkpoints find the same frozen weights in every process.
"""
import json
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np
import pycocotools.mask as mask_util
from PIL import Image, ImageDraw

# Non-contiguous ids, as in COCO, so that category-id -> label mapping is exercised.
CATEGORIES = (
    dict(id=1, name='circle', supercategory='shape'),
    dict(id=3, name='square', supercategory='shape'),
    dict(id=7, name='triangle', supercategory='shape'),
    dict(id=12, name='star', supercategory='shape'),
)
COLORS = dict(red=(220, 40, 40), green=(40, 180, 60), blue=(40, 70, 220), yellow=(235, 210, 40))
BACKGROUND = (128, 128, 128)
NUMBER_WORDS = ('no', 'one', 'two', 'three', 'four', 'five', 'six')


@dataclass
class SyntheticDataConfig:
    """What to generate.  Sizes are (width, height) ranges, inclusive."""
    num_train: int = 64
    num_val: int = 16
    image_size: Tuple[Tuple[int, int], Tuple[int, int]] = ((224, 320), (192, 288))
    max_objects: int = 4
    empty_prob: float = 0.1  # fraction of images without any object
    crowd_prob: float = 0.15  # fraction of images with an ``iscrowd=1`` group
    captions_per_image: int = 5
    seed: int = 0

    def validate(self):
        for name in ('num_train', 'num_val', 'max_objects', 'captions_per_image'):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f'{name} must be a non-negative integer, got {value!r}')
        if self.captions_per_image < 1:
            raise ValueError(f'captions_per_image must be >= 1, got {self.captions_per_image}')
        for name in ('empty_prob', 'crowd_prob'):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f'{name} must be in [0, 1], got {value!r}')
        (w_lo, w_hi), (h_lo, h_hi) = self.image_size
        if not 32 <= w_lo <= w_hi or not 32 <= h_lo <= h_hi:
            raise ValueError(f'image_size must be ((w_min, w_max), (h_min, h_max)) with 32 <= min <= max, '
                             f'got {self.image_size!r}')


@dataclass
class Shape:
    """One drawn object: its category, colour, polygon outline (x, y pairs) and size word."""
    category: dict
    color: str
    outline: np.ndarray
    size_word: str
    visible: Optional[np.ndarray] = field(default=None, repr=False)  # bool mask after occlusion
    parts: List[np.ndarray] = field(default_factory=list, repr=False)  # outlines of a crowd's members


def _regular_outline(kind: str, cx: float, cy: float, r: float, angle: float) -> np.ndarray:
    """Polygon outline of a shape kind centred at (cx, cy) with circumradius r."""
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
        raise ValueError(f'unknown shape kind {kind!r}')
    return np.stack([cx + radii * np.cos(t), cy + radii * np.sin(t)], axis=1)


def _rasterize(outline: np.ndarray, width: int, height: int) -> np.ndarray:
    canvas = Image.new('L', (width, height), 0)
    ImageDraw.Draw(canvas).polygon([tuple(p) for p in outline.tolist()], fill=1)
    return np.asarray(canvas, dtype=bool)


def _mask_to_polygons(mask: np.ndarray) -> List[List[float]]:
    """COCO polygons (one per connected part) of a binary mask."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    polygons = []
    for contour in contours:
        if len(contour) >= 3:
            polygons.append([float(v) + 0.5 for v in contour.reshape(-1)])
    return polygons


def _mask_bbox(mask: np.ndarray) -> List[float]:
    ys, xs = np.nonzero(mask)
    x0, y0 = int(xs.min()), int(ys.min())
    return [float(x0), float(y0), float(xs.max() - x0 + 1), float(ys.max() - y0 + 1)]


class SyntheticCocoGenerator:
    """Draws images of coloured shapes and writes them with COCO / Karpathy / mmocr annotations."""

    def __init__(self, cfg: SyntheticDataConfig):
        cfg.validate()
        self.cfg = cfg
        self.rng = np.random.RandomState(cfg.seed)

    # ------------------------------------------------------------------ drawing
    def _sample_shapes(self, width: int, height: int) -> List[Shape]:
        rng, cfg = self.rng, self.cfg
        shapes = []
        for _ in range(rng.randint(1, cfg.max_objects + 1)):
            category = CATEGORIES[rng.randint(len(CATEGORIES))]
            color = list(COLORS)[rng.randint(len(COLORS))]
            short = min(width, height)
            r = rng.uniform(0.08, 0.3) * short
            size_word = 'large' if r > 0.2 * short else 'small'
            cx, cy = rng.uniform(r, width - r), rng.uniform(r, height - r)
            outline = _regular_outline(category['name'], cx, cy, r, rng.uniform(0, 2 * np.pi))
            shapes.append(Shape(category, color, outline, size_word))
        # Occlusion: later shapes are drawn on top; keep only shapes with at least half of themselves visible.
        kept: List[Shape] = []
        occupied = np.zeros((height, width), dtype=bool)
        for shape in reversed(shapes):
            full = _rasterize(shape.outline, width, height)
            visible = full & ~occupied
            if full.sum() > 0 and visible.sum() >= 0.5 * full.sum():
                shape.visible = visible
                occupied |= full
                kept.append(shape)
        return kept[::-1]  # back to drawing order

    def _sample_crowd(self, width: int, height: int, occupied: np.ndarray) -> Optional[Shape]:
        """A cluster of tiny shapes of one kind, annotated once with ``iscrowd=1`` (as COCO does for crowds)."""
        rng = self.rng
        category = CATEGORIES[rng.randint(len(CATEGORIES))]
        color = list(COLORS)[rng.randint(len(COLORS))]
        r = max(2.5, 0.025 * min(width, height))
        cx0, cy0 = rng.uniform(6 * r, width - 6 * r), rng.uniform(6 * r, height - 6 * r)
        outlines, mask = [], np.zeros((height, width), dtype=bool)
        for _ in range(rng.randint(6, 12)):
            cx, cy = cx0 + rng.uniform(-5, 5) * r, cy0 + rng.uniform(-5, 5) * r
            outline = _regular_outline(category['name'], cx, cy, r, rng.uniform(0, 2 * np.pi))
            outlines.append(outline)
            mask |= _rasterize(outline, width, height)
        mask &= ~occupied
        if mask.sum() < 20:
            return None
        return Shape(category, color, np.concatenate(outlines), 'crowd', visible=mask, parts=outlines)

    def _draw(self, width: int, height: int, shapes: List[Shape], crowd: Optional[Shape]) -> Image.Image:
        image = Image.new('RGB', (width, height), BACKGROUND)
        # Mild texture so the background is not a constant (JPEG and normalisation behave as on photos).
        noise = self.rng.randint(-12, 13, size=(height, width, 1))
        image = Image.fromarray(np.clip(np.asarray(image, dtype=np.int16) + noise, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        if crowd is not None:
            for outline in crowd.parts:
                draw.polygon([tuple(p) for p in outline.tolist()], fill=COLORS[crowd.color])
        for shape in shapes:
            draw.polygon([tuple(p) for p in shape.outline.tolist()], fill=COLORS[shape.color])
        return image

    # ------------------------------------------------------------------ captions
    def _captions(self, shapes: List[Shape], crowd: Optional[Shape]) -> List[str]:
        """``captions_per_image`` different true sentences about the drawing."""
        rng = self.rng
        names = [s.category['name'] for s in shapes]
        phrases = [f'a {s.size_word} {s.color} {s.category["name"]}' for s in shapes]
        plain = [f'a {s.color} {s.category["name"]}' for s in shapes]
        counts: Dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        counted = [f'{NUMBER_WORDS[min(n, 6)]} {name}{"s" if n > 1 else ""}' for name, n in counts.items()]
        crowd_phrase = f'a group of small {crowd.color} {crowd.category["name"]}s' if crowd else None

        def join(items):
            return items[0] if len(items) == 1 else ', '.join(items[:-1]) + ' and ' + items[-1]

        if not shapes:
            pool = ['an empty gray background', 'a plain gray image with nothing in it',
                    'a gray background with no shapes', 'nothing but a gray background',
                    'an image of an empty gray surface']
            if crowd_phrase:
                pool = [f'{crowd_phrase} on a gray background', f'a gray image with {crowd_phrase}',
                        f'{crowd_phrase} close together', f'an image showing {crowd_phrase}',
                        f'{crowd_phrase} in a gray picture']
        else:
            extra = f' next to {crowd_phrase}' if crowd_phrase else ''
            pool = [f'{join(phrases)} on a gray background{extra}',
                    f'an image with {join(plain)}{extra}',
                    f'{join(counted)} on a gray background{extra}',
                    f'a picture showing {join(phrases)}{extra}',
                    f'{join(counted)} drawn in {join(sorted({s.color for s in shapes}))}{extra}',
                    f'a gray image containing {join(plain)}{extra}']
        order = rng.permutation(len(pool))
        return [pool[order[i % len(pool)]] for i in range(self.cfg.captions_per_image)]

    # ------------------------------------------------------------------ splits
    def _make_split(self, root: str, split: str, num_images: int, first_id: int):
        img_dir = osp.join(root, f'{split}2017')
        os.makedirs(img_dir, exist_ok=True)
        (w_lo, w_hi), (h_lo, h_hi) = self.cfg.image_size
        # Exact fractions (not coin flips), so even a small split has empty images and crowds.
        order = self.rng.permutation(num_images)
        num_empty = int(round(self.cfg.empty_prob * num_images))
        num_crowd = min(int(round(self.cfg.crowd_prob * num_images)), num_images - num_empty)
        empty, with_crowd = set(order[:num_empty]), set(order[num_empty:num_empty + num_crowd])
        images, instances, captions = [], [], []
        for index in range(num_images):
            image_id = first_id + index
            width, height = int(self.rng.randint(w_lo, w_hi + 1)), int(self.rng.randint(h_lo, h_hi + 1))
            no_shapes = index in empty or self.cfg.max_objects == 0
            shapes = [] if no_shapes else self._sample_shapes(width, height)
            occupied = np.zeros((height, width), dtype=bool)
            for shape in shapes:
                occupied |= _rasterize(shape.outline, width, height)
            crowd = self._sample_crowd(width, height, occupied) if index in with_crowd else None
            file_name = f'{image_id:012d}.jpg'
            self._draw(width, height, shapes, crowd).save(osp.join(img_dir, file_name), quality=95)
            images.append(dict(license=1, file_name=file_name, coco_url='', height=height, width=width,
                               date_captured='2017-01-01 00:00:00', flickr_url='', id=image_id))
            for shape in shapes:
                instances.append(dict(
                    segmentation=_mask_to_polygons(shape.visible), area=float(shape.visible.sum()), iscrowd=0,
                    image_id=image_id, bbox=_mask_bbox(shape.visible), category_id=shape.category['id']))
            if crowd is not None:
                rle = mask_util.encode(np.asfortranarray(crowd.visible.astype(np.uint8)))
                instances.append(dict(
                    segmentation=_uncompressed_rle(crowd.visible), area=float(mask_util.area(rle)), iscrowd=1,
                    image_id=image_id, bbox=_mask_bbox(crowd.visible), category_id=crowd.category['id']))
            for caption in self._captions(shapes, crowd):
                captions.append(dict(image_id=image_id, caption=caption))
        return images, instances, captions

    def generate(self, out_dir: str) -> Dict[str, str]:
        """Write everything under ``out_dir``; return the paths of the annotation files."""
        cfg = self.cfg
        coco_root = osp.join(out_dir, 'coco')
        ann_dir = osp.join(coco_root, 'annotations')
        try:
            os.makedirs(ann_dir, exist_ok=True)
            probe = osp.join(ann_dir, '.write_test')
            with open(probe, 'w'):
                pass
            os.remove(probe)
        except OSError as e:
            raise OSError(f'cannot write synthetic data under {out_dir!r}: {e}') from e

        written, karpathy_images = {}, []
        info = dict(description='visft_mm synthetic COCO', version='1.0', year=2017, contributor='visft_mm',
                    date_created='2017/01/01', url='')
        licenses = [dict(id=1, name='CC0', url='')]
        sentence_id = 0
        for split, num, first_id in (('train', cfg.num_train, 100001), ('val', cfg.num_val, 900001)):
            images, instances, captions = self._make_split(coco_root, split, num, first_id)
            for ann_id, ann in enumerate(instances, start=1):
                ann['id'] = first_id * 100 + ann_id
            for ann_id, ann in enumerate(captions, start=1):
                ann['id'] = first_id * 10 + ann_id
            written[f'instances_{split}'] = _dump(
                osp.join(ann_dir, f'instances_{split}2017.json'),
                dict(info=info, licenses=licenses, images=images, annotations=instances,
                     categories=[dict(c) for c in CATEGORIES]))
            written[f'captions_{split}'] = _dump(
                osp.join(ann_dir, f'captions_{split}2017.json'),
                dict(info=info, licenses=licenses, images=images, annotations=captions))
            by_image: Dict[int, List[str]] = {}
            for ann in captions:
                by_image.setdefault(ann['image_id'], []).append(ann['caption'])
            for position, image in enumerate(images):
                sentences = []
                for raw in by_image[image['id']]:
                    sentences.append(dict(tokens=raw.replace(',', '').split(), raw=raw,
                                          imgid=len(karpathy_images), sentid=sentence_id))
                    sentence_id += 1
                karpathy_images.append(dict(
                    filepath=f'{split}2014', filename=f'COCO_{split}2014_{image["id"]:012d}.jpg',
                    imgid=len(karpathy_images), cocoid=image['id'], split=_karpathy_split(split, position),
                    sentids=[s['sentid'] for s in sentences], sentences=sentences))
        written['karpathy'] = _dump(osp.join(ann_dir, 'dataset_coco.json'),
                                    dict(images=karpathy_images, dataset='coco'))
        written['eva_checkpoint'] = self._make_eva_checkpoint(osp.join(out_dir, 'checkpoints'))
        return written

    def _make_eva_checkpoint(self, folder: str) -> str:
        """A seeded random ``tiny`` EVA-ViT as a full EVA-CLIP checkpoint (vision tower, head, a text stub)."""
        import torch

        from visft_mm.models import EVAViT
        from visft_mm.models.weights.eva_formats import export_state_dict
        os.makedirs(folder, exist_ok=True)
        with torch.random.fork_rng():
            torch.manual_seed(self.cfg.seed)
            model = EVAViT('tiny')
            model.init_weights()
            state = export_state_dict(model.state_dict(), 'eva_clip')
            state['visual.head.weight'] = torch.randn(64, model.embed_dims) * 0.02
            state['text.positional_embedding'] = torch.randn(77, 64) * 0.01
            state['logit_scale'] = torch.tensor(4.6052)
        path = osp.join(folder, 'eva_vit_tiny_eva_clip.pt')
        torch.save(state, path)
        return path


def _uncompressed_rle(mask: np.ndarray) -> dict:
    """COCO's uncompressed RLE (column-major run lengths, starting with background), used for crowds."""
    flat = mask.astype(np.uint8).flatten(order='F')
    changes = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate([[0], changes, [flat.size]])
    counts = np.diff(bounds).tolist()
    if flat[0] == 1:
        counts = [0] + counts
    return dict(counts=[int(c) for c in counts], size=[int(mask.shape[0]), int(mask.shape[1])])


def _karpathy_split(split: str, position: int) -> str:
    """Karpathy's split names: COCO train -> 'train'; COCO val -> 'val' / 'test' / 'restval'."""
    if split == 'train':
        return 'train'
    return ('val', 'test', 'restval')[position % 3]


def _dump(path: str, obj) -> str:
    with open(path, 'w') as f:
        json.dump(obj, f)
    return path


def generate_synthetic_data(out_dir: str, benchmarks: bool = False, **kwargs) -> Dict[str, str]:
    """Generate the synthetic COCO / Karpathy data under ``out_dir`` (keyword arguments are
    :class:`SyntheticDataConfig`) and, with ``benchmarks``, the out-of-domain benchmarks' data."""
    written = SyntheticCocoGenerator(SyntheticDataConfig(**kwargs)).generate(out_dir)
    if benchmarks:
        written.update(generate_benchmark_data(out_dir, seed=kwargs.get('seed', 0)))
    return written


def generate_benchmark_data(out_dir: str, seed: int = 0) -> Dict[str, str]:
    """The out-of-domain benchmarks in their real layouts, small: clovaai LMDBs + mmocr JSON (OCR), M3IT coco-goi
    jsonl (GOI), class folders and a Flickr30k-layout retrieval set (zero-shot), a random tiny EVA-CLIP file."""
    from .synthetic_clip import write_shape_folders, write_shape_retrieval, write_tiny_eva_clip
    from .synthetic_goi import generate_goi_data
    from .synthetic_text import generate_synthetic_text_data
    written = {f'text/{k}': v for k, v in generate_synthetic_text_data(out_dir, seed=seed).items()}
    written.update({f'goi/{k}': v for k, v in generate_goi_data(out_dir, seed=seed).items()})
    written['shapes_cls'] = write_shape_folders(osp.join(out_dir, 'shapes_cls'), seed=seed)
    written['shapes_retrieval'] = write_shape_retrieval(osp.join(out_dir, 'shapes_retrieval'), num_images=16,
                                                       seed=seed)  # >= 10 images: Recall@10
    written['tiny_clip'] = write_tiny_eva_clip(osp.join(out_dir, 'checkpoints', 'tiny_clip_eva_clip.pt'), seed=seed)
    return written
