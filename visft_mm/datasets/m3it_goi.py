"""M3IT ``coco-goi`` (grounded object identification) read from its published jsonl files, for the Table-4 probe.

Each line of ``train.jsonl`` / ``val.jsonl`` is one object in a COCO image::

    {"input": "<header line>\\n<candidate 1>\\n<candidate 2>...",   # M3IT's loader drops the first line
     "outputs": "<class name>",                                    # one of the candidates
     "image_str": "<base64 image with the object's region marked>"}

The dataset keeps only each line's byte offset and label; the base64 string is read back from the file when a
sample is drawn (:meth:`M3ITGOIDataset.get_data_info`) and decoded by the ``LoadImageFromBase64`` transform, so
30k+ images never sit in memory.

The class list comes from the data: ``classes`` (mmpretrain's argument: a text file, one name per line, or a list),
else the sorted union of the file's candidates and answers.  The configs give train and val the same
``classes.txt`` (written from ``train.jsonl`` by ``tools/dataset_converters/m3it_goi_classes.py``), and mmengine
stores the training set's ``metainfo`` (the class list) in every checkpoint as ``meta['dataset_meta']``.

Bad lines:

* not JSON, a missing / non-string ``input``, ``outputs`` or ``image_str``, an answer that is not among the line's
  own candidates (M3IT's loader asserts the same), or an answer outside ``classes``: ``ValueError`` naming the
  file and line (the file or the class list is wrong; dropping such lines would bias the accuracy);
* an ``image_str`` that is not base64 of an image file: a counted skip, logged with the count and the first line
  numbers and kept in ``skipped_lines`` (a damaged image, as in any large image set).
"""
import base64
import binascii
import io
import json
import os.path as osp
from typing import List, Optional, Sequence, Tuple

from mmengine.logging import MMLogger
from mmpretrain.datasets import BaseDataset
from PIL import Image, UnidentifiedImageError

from visft_mm.registry import DATASETS

REQUIRED_FIELDS = ('input', 'outputs', 'image_str')


def candidates_of(record: dict) -> List[str]:
    """The candidate class names of a line: its ``input`` without the first line, as M3IT's loader reads it."""
    return record['input'].split('\n')[1:]


def _image_header_ok(image_str: str) -> bool:
    """Whether ``image_str`` is base64 of a file PIL recognises (its header only: cheap on 30k+ lines)."""
    try:
        with Image.open(io.BytesIO(base64.b64decode(image_str, validate=True))) as image:
            return image.size[0] > 0 and image.size[1] > 0
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError):
        return False


def iter_goi_records(path: str):
    """``(line number, byte offset, record)`` for every non-blank line, with the fields checked (errors name the
    file and line)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'M3IT coco-goi file {path!r} does not exist')
    offset = 0
    with open(path, 'rb') as f:
        for line_no, raw in enumerate(f, start=1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as e:
                raise ValueError(f'{path}:{line_no}: not a JSON object ({e})') from e
            if not isinstance(record, dict):
                raise ValueError(f'{path}:{line_no}: expected a JSON object, got {type(record).__name__}')
            bad = [k for k in REQUIRED_FIELDS if not isinstance(record.get(k), str)]
            if bad:
                raise ValueError(f'{path}:{line_no}: missing or non-string field(s) {bad} (an M3IT coco-goi line '
                                 f'has {list(REQUIRED_FIELDS)})')
            if record['outputs'] not in candidates_of(record):
                raise ValueError(f'{path}:{line_no}: the answer {record["outputs"]!r} is not among the line\'s '
                                 f'candidates {candidates_of(record)}')
            yield line_no, start, record


def goi_classes(path: str) -> List[str]:
    """The class list of an M3IT coco-goi file: the sorted union of its candidates and answers."""
    names = set()
    for _, _, record in iter_goi_records(path):
        names.update(candidates_of(record))
        names.add(record['outputs'])
    return sorted(names)


def write_goi_classes(ann_file: str, out_file: str) -> List[str]:
    """Write :func:`goi_classes` of ``ann_file`` one per line (mmpretrain's ``classes`` file); return them."""
    classes = goi_classes(ann_file)
    with open(out_file, 'w') as f:
        f.write('\n'.join(classes) + '\n')
    return classes


@DATASETS.register_module()
class M3ITGOIDataset(BaseDataset):
    """M3IT ``coco-goi`` as a single-label classification dataset (mmpretrain's :class:`BaseDataset`).

    Args:
        ann_file: ``train.jsonl`` or ``val.jsonl`` (joined to ``data_root``).
        classes: the class list (a file with one name per line, or names); ``None`` derives it from ``ann_file``.
        Others: as mmpretrain's ``BaseDataset``.  The pipeline starts with ``LoadImageFromBase64``.
    """

    def __init__(self, ann_file: str, classes: Optional[Sequence[str]] = None, **kwargs):
        self.skipped_lines: List[int] = []
        super().__init__(ann_file=ann_file, classes=classes, **kwargs)

    def load_data_list(self) -> List[dict]:
        records: List[Tuple[int, int, str]] = []
        self.skipped_lines = []
        derived = set()
        for line_no, offset, record in iter_goi_records(self.ann_file):
            derived.update(candidates_of(record))
            derived.add(record['outputs'])
            if _image_header_ok(record['image_str']):
                records.append((line_no, offset, record['outputs']))
            else:
                self.skipped_lines.append(line_no)
        if self._metainfo.get('classes') is None:
            self._metainfo['classes'] = tuple(sorted(derived))
        class_to_idx = {name: i for i, name in enumerate(self._metainfo['classes'])}
        data_list = []
        for line_no, offset, answer in records:
            if answer not in class_to_idx:
                raise ValueError(f'{self.ann_file}:{line_no}: class {answer!r} is not in the class list '
                                 f'({len(class_to_idx)} classes: check `classes`, it must be the training set\'s)')
            data_list.append(dict(line=line_no, offset=offset, gt_label=class_to_idx[answer]))
        if self.skipped_lines:
            MMLogger.get_current_instance().warning(
                f'{self.ann_file}: skipped {len(self.skipped_lines)} line(s) whose image_str is not a base64 '
                f'image (lines {self.skipped_lines[:10]}{" ..." if len(self.skipped_lines) > 10 else ""})')
        if not data_list:
            raise ValueError(f'{self.ann_file}: no usable line')
        return data_list

    def get_data_info(self, idx: int) -> dict:
        """The stored label and position plus the line's base64 image, read back from the file."""
        info = super().get_data_info(idx)
        with open(self.ann_file, 'rb') as f:
            f.seek(info['offset'])
            raw = f.readline()
        try:
            info['img_base64'] = json.loads(raw)['image_str']
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValueError(f'{self.ann_file}:{info["line"]}: cannot read the line back (was the file changed '
                             f'after the dataset was built?): {e!r}') from e
        info['source'] = f'{self.ann_file}:{info["line"]}'
        return info
