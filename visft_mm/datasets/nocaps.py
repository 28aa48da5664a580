"""NoCaps images, one sample per image (mmpretrain's ``NoCaps`` yields one per reference caption, 10x the work)."""
import os.path as osp
from typing import List

from mmengine.dataset import BaseDataset

from visft_mm.datasets.captions import read_caption_annotations
from visft_mm.registry import DATASETS

DOMAINS = ('in-domain', 'near-domain', 'out-domain')


def read_nocaps_domains(ann_file: str) -> dict:
    """``{image_id: domain}`` from a NoCaps caption file (``nocaps_val_4500_captions.json``)."""
    import json
    with open(ann_file) as f:
        images = json.load(f).get('images', [])
    domains = {}
    for img in images:
        if img.get('domain') not in DOMAINS:
            raise ValueError(f'{ann_file}: image {img.get("id")} has domain {img.get("domain")!r}, '
                             f'expected one of {DOMAINS}')
        domains[img['id']] = img['domain']
    return domains


@DATASETS.register_module()
class NoCapsImages(BaseDataset):
    """The images of a NoCaps caption file (COCO-style ``images`` with ``domain``, ``annotations``), each once,
    with ``image_id`` and ``domain``; references stay in the file for the metric."""

    def load_data_list(self) -> List[dict]:
        domains = read_nocaps_domains(self.ann_file)
        return [dict(img_path=osp.join(self.data_prefix['img_path'], e['file_name']), image_id=e['image_id'],
                     domain=domains[e['image_id']])
                for e in read_caption_annotations(self.ann_file)]
