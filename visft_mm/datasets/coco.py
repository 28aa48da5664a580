"""mmdet's COCO dataset with errors that name the annotation file and entry."""
import json

from mmdet.datasets import CocoDataset

from visft_mm.registry import DATASETS

_IMAGE_KEYS = ('id', 'file_name', 'height', 'width')
_ANN_KEYS = ('id', 'image_id', 'category_id', 'bbox')


@DATASETS.register_module()
class StrictCocoDataset(CocoDataset):
    """``mmdet.CocoDataset`` that rejects a malformed annotation file with the file name and the bad entry.

    mmdet reports a truncated file as a bare ``JSONDecodeError`` and a missing field as a bare ``KeyError``;
    both are raised here as ``ValueError('<ann_file>: ...')``.  Empty images, crowd regions and polygons too small
    to rasterise are valid COCO and still go through (mmdet ignores the latter two in training).
    """

    def load_data_list(self):
        try:
            return super().load_data_list()
        except json.JSONDecodeError as e:
            raise ValueError(f'{self.ann_file}: not valid JSON ({e})') from e

    def parse_data_info(self, raw_data_info: dict):
        img, anns = raw_data_info['raw_img_info'], raw_data_info['raw_ann_info']
        missing = [k for k in _IMAGE_KEYS if k not in img]
        if missing:
            raise ValueError(f'{self.ann_file}: image entry {img.get("id", img)} lacks {missing}')
        for ann in anns:
            missing = [k for k in _ANN_KEYS if k not in ann]
            if missing:
                raise ValueError(f'{self.ann_file}: annotation {ann.get("id", "?")} of image {img["id"]} '
                                 f'lacks {missing}')
            bbox = ann['bbox']
            if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
                raise ValueError(f'{self.ann_file}: annotation {ann["id"]} has bbox {bbox!r}, '
                                 'expected [x, y, w, h]')
        return super().parse_data_info(raw_data_info)
