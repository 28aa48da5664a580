"""mmdet's COCO dataset with errors that name the annotation file and entry, and no silent drops."""
import json
from collections import defaultdict

from mmdet.datasets import CocoDataset
from mmdet.datasets.api_wrappers import COCO
from mmengine.logging import MMLogger

from visft_mm.registry import DATASETS
from .unreadable import UnreadableImagePolicy

_IMAGE_KEYS = ('id', 'file_name', 'height', 'width')
_ANN_KEYS = ('id', 'image_id', 'category_id', 'bbox')

# the malformed annotations skipped and counted (the other kinds are errors: see StrictCocoDataset)
SKIPPED = dict(zero_box='a box under 1 pixel wide or high, or area <= 0 (mmdet drops these)',
               zero_polygon='a polygon mask of zero area (it would train on an empty mask)')


class _MalformedEntry(ValueError):
    pass


class _CheckedCOCO(COCO):
    """COCO index that first checks every annotation points at an image entry (pycocotools would drop it)."""

    def createIndex(self):  # noqa: N802 (pycocotools' name)
        images = set()
        for img in self.dataset.get('images', []):
            if 'id' not in img:
                raise _MalformedEntry(f'image entry {img.get("file_name", img)} lacks [\'id\']')
            images.add(img['id'])
        for ann in self.dataset.get('annotations', []):
            if 'image_id' not in ann:
                raise _MalformedEntry(f'annotation {ann.get("id", "?")} lacks [\'image_id\']')
            if ann['image_id'] not in images:
                raise _MalformedEntry(f'annotation {ann.get("id", "?")} names image_id {ann["image_id"]!r}, which '
                                      'no image entry has')
        super().createIndex()


def _polygon_area(points) -> float:
    xs, ys = points[0::2], points[1::2]
    if len(xs) < 3:
        return 0.0
    return abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(xs)))) / 2


@DATASETS.register_module()
class StrictCocoDataset(UnreadableImagePolicy, CocoDataset):
    """``mmdet.CocoDataset`` that names the file and entry of every malformed annotation instead of dropping it.

    mmdet reports a truncated file as a bare ``JSONDecodeError`` and a missing field as a bare ``KeyError``, and
    silently drops annotations it cannot use.  Here, per kind:

    * errors (``ValueError('<ann_file>: ...')`` naming the annotation id): a missing required field, an
      annotation whose ``image_id`` is missing or names no image, a box of negative width or height, a box
      entirely outside its image;
    * counted skips (logged once per kind at load, with the count and example ids): a box under 1 pixel wide or
      high or of area <= 0 (valid COCO from rounding; mmdet drops them), a polygon mask of zero area.

    Empty images and crowd regions are valid COCO and go through.  ``on_unreadable_image``: see
    :class:`~visft_mm.datasets.unreadable.UnreadableImagePolicy`.
    """

    COCOAPI = _CheckedCOCO

    def __init__(self, *args, on_unreadable_image: str = 'error', **kwargs):
        self._set_unreadable_policy(on_unreadable_image)
        self.skipped_annotations = defaultdict(list)
        super().__init__(*args, **kwargs)

    def load_data_list(self):
        self.skipped_annotations = defaultdict(list)
        try:
            data_list = super().load_data_list()
        except json.JSONDecodeError as e:
            raise ValueError(f'{self.ann_file}: not valid JSON ({e})') from e
        except _MalformedEntry as e:
            raise ValueError(f'{self.ann_file}: {e}') from None
        for kind, ids in self.skipped_annotations.items():
            MMLogger.get_current_instance().warning(
                f'{self.ann_file}: skipped {len(ids)} annotations with {SKIPPED[kind]} (ids {ids[:5]}'
                f'{"..." if len(ids) > 5 else ""})')
        return data_list

    def parse_data_info(self, raw_data_info: dict):
        img, anns = raw_data_info['raw_img_info'], raw_data_info['raw_ann_info']
        missing = [k for k in _IMAGE_KEYS if k not in img]
        if missing:
            raise ValueError(f'{self.ann_file}: image entry {img.get("id", img)} lacks {missing}')
        kept = []
        for ann in anns:
            kind = self._check_annotation(img, ann)
            if kind is None:
                kept.append(ann)
            else:
                self.skipped_annotations[kind].append(ann['id'])
        return super().parse_data_info(dict(raw_data_info, raw_ann_info=kept))

    def _check_annotation(self, img: dict, ann: dict):
        """None for a usable annotation, the kind of a counted skip, or an error."""
        where = f'{self.ann_file}: annotation {ann.get("id", "?")} of image {img["id"]}'
        missing = [k for k in _ANN_KEYS if k not in ann]
        if missing:
            raise ValueError(f'{where} lacks {missing}')
        bbox = ann['bbox']
        if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
            raise ValueError(f'{where} has bbox {bbox!r}, expected [x, y, w, h]')
        x, y, w, h = bbox
        if w < 0 or h < 0:
            raise ValueError(f'{where} has bbox {list(bbox)} of negative width or height')
        if w < 1 or h < 1 or ann.get('area', w * h) <= 0:
            return 'zero_box'
        if x >= img['width'] or y >= img['height'] or x + w <= 0 or y + h <= 0:
            raise ValueError(f'{where} has bbox {list(bbox)} entirely outside its {img["width"]}x{img["height"]} '
                             'image')
        polygons = ann.get('segmentation')
        if isinstance(polygons, list) and polygons and all(_polygon_area(p) == 0 for p in polygons):
            return 'zero_polygon'
        return None
