"""Synthetic grounded-object-identification data in M3IT's ``coco-goi`` jsonl layout.

Each image shows coloured shapes on a gray background; one of them (the largest, drawn last) is marked with a
white box, and its class is ``'<colour> <shape>'`` (4 colours x 4 shapes = 16 classes; ``classes='shape'``: its
shape alone, on the same images).  The line's ``input`` is
a header line followed by candidate names (the answer and distractors, shuffled), as M3IT writes it, so the real
reader (:class:`visft_mm.datasets.M3ITGOIDataset`) runs unchanged in tests and in the demo.

Layout written under ``out_dir``::

    m3it/coco-goi/train.jsonl  val.jsonl  instructions.json
    m3it/coco-goi/classes.txt               (the class list of train.jsonl, as the converter tool writes it)
"""
import base64
import io
import json
import os
import os.path as osp
from typing import Dict

import numpy as np
from PIL import Image, ImageDraw

from .shapes import BACKGROUND, COLORS, SHAPES, regular_outline

GOI_CLASSES = tuple(f'{color} {shape}' for color in COLORS for shape in SHAPES)
# what the marked object is called: its colour and shape (16 classes; colour alone is what a contrastively
# pretrained mini CLIP knows) or its shape alone (4 classes: a probe of shape only)
CLASS_SETS = {'colour_shape': GOI_CLASSES, 'shape': SHAPES}
MARKER = (255, 255, 255)
HEADER = 'Which object is in the marked region?'
INSTRUCTIONS = ('Identify the object in the white box. Choose one of the options.',
                'What is the object inside the marked region? Pick the right option.')


class SyntheticGOIGenerator:
    """Draws one marked shape (plus smaller distractors) per image; seeded and deterministic."""

    def __init__(self, num_train: int = 160, num_val: int = 48, image_size=((192, 288), (176, 256)),
                 max_distractors: int = 2, num_candidates: int = 5, seed: int = 0, classes: str = 'colour_shape',
                 folder: str = 'coco-goi'):
        if classes not in CLASS_SETS:
            raise ValueError(f'classes must be one of {sorted(CLASS_SETS)}, got {classes!r}')
        self.classes = CLASS_SETS[classes]
        self.folder = folder
        for name, value in (('num_train', num_train), ('num_val', num_val), ('max_distractors', max_distractors)):
            if not isinstance(value, int) or value < 0:
                raise ValueError(f'{name} must be a non-negative integer, got {value!r}')
        if not 1 <= num_candidates <= len(self.classes):
            raise ValueError(f'num_candidates must be in [1, {len(self.classes)}] for classes={classes!r}, got '
                             f'{num_candidates!r}')
        self.num_train, self.num_val = num_train, num_val
        self.image_size = image_size
        self.max_distractors = max_distractors
        self.num_candidates = num_candidates
        self.rng = np.random.RandomState(seed)
        # the candidates from their own stream: the drawings are the same whatever the class set
        self.option_rng = np.random.RandomState([seed, 1])

    def _draw(self):
        rng = self.rng
        (w_lo, w_hi), (h_lo, h_hi) = self.image_size
        width, height = int(rng.randint(w_lo, w_hi + 1)), int(rng.randint(h_lo, h_hi + 1))
        short = min(width, height)
        noise = rng.randint(-12, 13, size=(height, width, 1))
        image = Image.fromarray(np.clip(np.full((height, width, 3), BACKGROUND, np.int16) + noise, 0,
                                        255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        for _ in range(rng.randint(0, self.max_distractors + 1)):
            r = rng.uniform(0.07, 0.13) * short
            outline = regular_outline(SHAPES[rng.randint(len(SHAPES))], rng.uniform(r, width - r),
                                       rng.uniform(r, height - r), r, rng.uniform(0, 2 * np.pi))
            draw.polygon([tuple(p) for p in outline.tolist()], fill=list(COLORS.values())[rng.randint(len(COLORS))])
        label = int(rng.randint(len(GOI_CLASSES)))
        color, shape = GOI_CLASSES[label].split(' ')
        r = rng.uniform(0.2, 0.32) * short
        cx, cy = rng.uniform(r + 4, width - r - 4), rng.uniform(r + 4, height - r - 4)
        outline = regular_outline(shape, cx, cy, r, rng.uniform(0, 2 * np.pi))
        draw.polygon([tuple(p) for p in outline.tolist()], fill=COLORS[color])
        (x0, y0), (x1, y1) = outline.min(0) - 3, outline.max(0) + 3
        draw.rectangle([max(x0, 0), max(y0, 0), min(x1, width - 1), min(y1, height - 1)], outline=MARKER, width=2)
        return image, GOI_CLASSES[label] if self.classes is GOI_CLASSES else shape

    def _line(self) -> dict:
        image, answer = self._draw()
        others = [c for c in self.classes if c != answer]
        picked = [others[i] for i in self.option_rng.permutation(len(others))[:self.num_candidates - 1]] + [answer]
        candidates = [picked[i] for i in self.option_rng.permutation(len(picked))]
        buffer = io.BytesIO()
        image.save(buffer, format='JPEG', quality=90)
        return dict(input='\n'.join([HEADER] + candidates), outputs=answer,
                    image_str=base64.b64encode(buffer.getvalue()).decode('ascii'))

    def generate(self, out_dir: str) -> Dict[str, str]:
        from visft_mm.datasets.m3it_goi import write_goi_classes
        root = osp.join(out_dir, 'm3it', self.folder)
        os.makedirs(root, exist_ok=True)
        written = {}
        for split, num in (('train', self.num_train), ('val', self.num_val)):
            path = osp.join(root, f'{split}.jsonl')
            with open(path, 'w') as f:
                for _ in range(num):
                    f.write(json.dumps(self._line()) + '\n')
            written[f'goi_{split}'] = path
        written['goi_instructions'] = osp.join(root, 'instructions.json')
        with open(written['goi_instructions'], 'w') as f:
            json.dump(list(INSTRUCTIONS), f)
        written['goi_classes'] = osp.join(root, 'classes.txt')
        write_goi_classes(written['goi_train'], written['goi_classes'])
        return written


def generate_goi_data(out_dir: str, **kwargs) -> Dict[str, str]:
    """Write the synthetic coco-goi files under ``out_dir``; keyword arguments are
    :class:`SyntheticGOIGenerator`'s."""
    return SyntheticGOIGenerator(**kwargs).generate(out_dir)
