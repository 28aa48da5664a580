"""Synthetic scene-text word images in the layouts of the real text-recognition data.

The OCR probe reads MJSynth / SynthText and the benchmark sets as the clovaai LMDB release
(``num-samples``, ``image-%09d``, ``label-%09d``, 1-based) and the mmocr ``dataset_zoo`` JSON.  This module writes
small sets in exactly those layouts, under the real set names, so that the real readers run in tests and the demo:

    textrecog_lmdb/training/MJ/{MJ_train,MJ_valid,MJ_test}/    clovaai LMDBs (data.mdb, lock.mdb)
    textrecog_lmdb/training/ST/
    textrecog_lmdb/validation/
    textrecog_lmdb/evaluation/{IIIT5k_3000,SVT,IC03_860,IC03_867,IC13_857,IC13_1015,IC15_1811,IC15_2077,SVTP,CUTE80}/
    textrecog_mmocr/{iiit5k,svt,icdar2013,icdar2015,svtp,cute80}/textrecog_test*.json + textrecog_imgs/test/*.png

Words are drawn with the DejaVu fonts that matplotlib ships (no download), in mixed case with digits and symbols,
then rotated, blurred and noised.  The names are the real ones; the contents are not the real sets.
"""
import io
import json
import os
import os.path as osp
import string
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# ViTSTR's case-sensitive character set: the 94 printable ASCII characters without whitespace.
PRINTABLE_94 = string.printable[:94]
WORDS = ('street', 'hotel', 'coffee', 'station', 'market', 'OPEN', 'SALE', 'Exit', 'Parking', 'London', 'bakery',
         'PIZZA', 'taxi', 'Museum', 'garden', 'books', 'STOP', 'bank', 'Theatre', 'cinema', 'pharmacy', 'Road',
         'house', 'CAFE', 'bridge', 'Avenue', 'police', 'Store', 'music', 'Bar')
SYMBOLS = "!&'-.:@#$%?"
FONT_FILES = ('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSerif.ttf',
              'DejaVuSansMono.ttf')
# (clovaai evaluation folder, mmocr dataset_zoo folder, mmocr annotation file); IC03 is not in mmocr's zoo.
BENCHMARKS = (
    ('IIIT5k_3000', 'iiit5k', 'textrecog_test.json'),
    ('SVT', 'svt', 'textrecog_test.json'),
    ('IC03_860', None, None),
    ('IC03_867', None, None),
    ('IC13_857', 'icdar2013', 'textrecog_test_857.json'),
    ('IC13_1015', 'icdar2013', 'textrecog_test.json'),
    ('IC15_1811', 'icdar2015', 'textrecog_test_1811.json'),
    ('IC15_2077', 'icdar2015', 'textrecog_test.json'),
    ('SVTP', 'svtp', 'textrecog_test.json'),
    ('CUTE80', 'cute80', 'textrecog_test.json'),
)
TRAIN_SETS = ('training/MJ/MJ_train', 'training/MJ/MJ_valid', 'training/MJ/MJ_test', 'training/ST')


def font_paths() -> List[str]:
    """The DejaVu fonts in matplotlib's package data (always installed with matplotlib)."""
    import matplotlib
    folder = osp.join(osp.dirname(matplotlib.__file__), 'mpl-data', 'fonts', 'ttf')
    paths = [osp.join(folder, name) for name in FONT_FILES if osp.exists(osp.join(folder, name))]
    if not paths:
        raise FileNotFoundError(f'no DejaVu font found in {folder}')
    return paths


def write_clovaai_lmdb(path: str, samples: Sequence, map_size: int = 1 << 30) -> str:
    """Write ``[(image bytes, label), ...]`` as an LMDB in the clovaai layout (keys 1-based, as their
    ``create_lmdb_dataset.py``)."""
    import lmdb
    os.makedirs(path, exist_ok=True)
    env = lmdb.open(path, map_size=map_size)
    with env.begin(write=True) as txn:
        for index, (image_bytes, label) in enumerate(samples, start=1):
            txn.put(f'image-{index:09d}'.encode(), image_bytes)
            txn.put(f'label-{index:09d}'.encode(), label.encode('utf-8'))
        txn.put(b'num-samples', str(len(samples)).encode())
    env.close()
    return path


@dataclass
class SyntheticTextConfig:
    """How many words per set; ``num_unknown_char`` ST labels hold a character outside :data:`PRINTABLE_94`
    (as real SynthText does), so the training reader's counted skip runs in the demo."""
    num_train: int = 200  # per training source (MJ_train, ST); MJ_valid / MJ_test / validation get a quarter
    num_test: int = 20  # per benchmark set
    num_unknown_char: int = 1
    height: int = 32
    seed: int = 0

    def validate(self):
        for name in ('num_train', 'num_test', 'num_unknown_char', 'height'):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f'{name} must be a non-negative integer, got {value!r}')
        if self.height < 16:
            raise ValueError(f'height must be >= 16, got {self.height}')


class SyntheticTextGenerator:
    """Renders word crops (font, case, rotation, blur, noise drawn from a seeded generator)."""

    def __init__(self, cfg: SyntheticTextConfig):
        cfg.validate()
        self.cfg = cfg
        self.rng = np.random.RandomState(cfg.seed)
        self.fonts = font_paths()

    def sample_word(self) -> str:
        rng = self.rng
        kind = rng.rand()
        if kind < 0.5:
            word = WORDS[rng.randint(len(WORDS))]
        elif kind < 0.8:
            alphabet = string.ascii_letters + string.digits
            word = ''.join(alphabet[i] for i in rng.randint(len(alphabet), size=rng.randint(2, 9)))
        else:
            word = WORDS[rng.randint(len(WORDS))] + SYMBOLS[rng.randint(len(SYMBOLS))] + str(rng.randint(100))
        return word

    def render(self, word: str) -> Image.Image:
        """One RGB word crop: random font and colours, rotation up to 8 degrees, blur and Gaussian noise."""
        rng, height = self.rng, self.cfg.height
        font = ImageFont.truetype(self.fonts[rng.randint(len(self.fonts))], size=int(height * rng.uniform(0.6, 0.8)))
        left, top, right, bottom = font.getbbox(word)
        pad = int(rng.randint(3, 8))
        bg = tuple(int(v) for v in rng.randint(130, 256, size=3))
        fg = tuple(int(v) for v in rng.randint(0, 100, size=3))
        image = Image.new('RGB', (right - left + 2 * pad, bottom - top + 2 * pad), bg)
        ImageDraw.Draw(image).text((pad - left, pad - top), word, font=font, fill=fg)
        image = image.rotate(float(rng.uniform(-8, 8)), resample=Image.BICUBIC, expand=True, fillcolor=bg)
        image = image.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.0, 1.0))))
        pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, rng.uniform(2, 10), size=(image.height,
                                                                                             image.width, 3))
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))

    def make_set(self, num: int, num_unknown_char: int = 0) -> List[tuple]:
        """``num`` (PNG bytes, label) pairs; the first ``num_unknown_char`` labels get a character outside the
        94-character set."""
        samples = []
        for index in range(num):
            word = self.sample_word()
            if index < num_unknown_char:
                word = word + '\u00e9'  # 'é': rendered by DejaVu, outside ViTSTR's charset
            buffer = io.BytesIO()
            self.render(word).save(buffer, format='PNG')
            samples.append((buffer.getvalue(), word))
        return samples

    def generate(self, out_dir: str) -> Dict[str, str]:
        cfg = self.cfg
        written = {}
        lmdb_root = osp.join(out_dir, 'textrecog_lmdb')
        for name in TRAIN_SETS:
            full = name in ('training/MJ/MJ_train', 'training/ST')
            num = cfg.num_train if full else max(cfg.num_train // 4, 1)
            unknown = cfg.num_unknown_char if name == 'training/ST' else 0
            written[name] = write_clovaai_lmdb(osp.join(lmdb_root, name), self.make_set(num, unknown))
        written['validation'] = write_clovaai_lmdb(osp.join(lmdb_root, 'validation'),
                                                   self.make_set(max(cfg.num_train // 4, 1)))
        mmocr_root = osp.join(out_dir, 'textrecog_mmocr')
        for lmdb_name, zoo_name, ann_name in BENCHMARKS:
            samples = self.make_set(cfg.num_test)
            written[f'evaluation/{lmdb_name}'] = write_clovaai_lmdb(
                osp.join(lmdb_root, 'evaluation', lmdb_name), samples)
            if zoo_name is not None:
                written[f'mmocr/{lmdb_name}'] = self._write_mmocr_json(
                    osp.join(mmocr_root, zoo_name), ann_name, lmdb_name, samples)
        return written

    @staticmethod
    def _write_mmocr_json(root: str, ann_name: str, set_name: str, samples) -> str:
        """mmocr 1.x text-recognition annotations (as ``dataset_zoo`` prepares them) and the word images."""
        img_dir = osp.join(root, 'textrecog_imgs', 'test')
        os.makedirs(img_dir, exist_ok=True)
        data_list = []
        for index, (image_bytes, label) in enumerate(samples):
            name = f'{set_name}_{index:05d}.png'
            with open(osp.join(img_dir, name), 'wb') as f:
                f.write(image_bytes)
            data_list.append(dict(img_path=f'textrecog_imgs/test/{name}', instances=[dict(text=label)]))
        path = osp.join(root, ann_name)
        with open(path, 'w') as f:
            json.dump(dict(metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
                           data_list=data_list), f)
        return path


def generate_synthetic_text_data(out_dir: str, **kwargs) -> Dict[str, str]:
    """Write the synthetic text-recognition sets under ``out_dir``; keyword arguments are
    :class:`SyntheticTextConfig`.  Returns {set name: path}."""
    return SyntheticTextGenerator(SyntheticTextConfig(**kwargs)).generate(out_dir)


def read_clovaai_lmdb(path: str, index: int) -> Optional[tuple]:
    """(image bytes, label) of 1-based ``index`` (a small helper for tests and inspection)."""
    import lmdb
    env = lmdb.open(path, readonly=True, lock=False)
    try:
        with env.begin() as txn:
            image, label = txn.get(f'image-{index:09d}'.encode()), txn.get(f'label-{index:09d}'.encode())
    finally:
        env.close()
    return None if image is None or label is None else (image, label.decode('utf-8'))
