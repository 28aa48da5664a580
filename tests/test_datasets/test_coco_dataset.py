"""StrictCocoDataset: real-world COCO quirks pass through the training pipelines, broken files are named."""
import json
import shutil

import pytest
from mmengine.registry import init_default_scope

from visft_mm.datasets import StrictCocoDataset

CLASSES = ('circle', 'square', 'triangle', 'star')
SEG_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandomResize', scale=(224, 224), ratio_range=(0.8, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=(224, 224), crop_type='absolute', recompute_bbox=True,
         allow_negative_crop=True),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1e-5, 1e-5), by_mask=True),
    dict(type='PackDetInputs')
]


def _copy_coco(synthetic_data, tmp_path):
    root, _ = synthetic_data
    dst = tmp_path / 'coco'
    shutil.copytree(root / 'coco', dst)
    return dst


def _dataset(root, ann_file='annotations/instances_train2017.json', pipeline=SEG_PIPELINE, **kwargs):
    init_default_scope('mmdet')
    return StrictCocoDataset(data_root=str(root), ann_file=ann_file, data_prefix=dict(img='train2017/'),
                             metainfo=dict(classes=CLASSES), pipeline=pipeline, **kwargs)


def test_empty_crowd_and_degenerate_annotations_pass_through(synthetic_data, tmp_path):
    root = _copy_coco(synthetic_data, tmp_path)
    path = root / 'annotations' / 'instances_train2017.json'
    coco = json.loads(path.read_text())
    image = coco['images'][0]
    degenerate = [
        dict(id=1, image_id=image['id'], category_id=1, iscrowd=0, area=0.0, bbox=[5.0, 5.0, 2.0, 2.0],
             segmentation=[[5.0, 5.0, 7.0, 7.0]]),  # a 2-point "polygon"
        dict(id=2, image_id=image['id'], category_id=3, iscrowd=0, area=0.0, bbox=[9.0, 9.0, 0.0, 4.0],
             segmentation=[[9.0, 9.0, 9.0, 13.0, 9.0, 11.0]]),  # zero width
    ]
    coco['annotations'] += degenerate
    path.write_text(json.dumps(coco))
    dataset = _dataset(root, filter_cfg=dict(filter_empty_gt=False))
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    assert any(not d['instances'] for d in infos), 'expected images without objects'
    assert any(i['ignore_flag'] for d in infos for i in d['instances']), 'expected crowd regions'
    for index in range(len(dataset)):
        sample = dataset[index]
        instances = sample['data_samples'].gt_instances
        assert len(instances.bboxes) == len(instances.masks) == len(instances.labels)


def test_missing_image_file_is_named(synthetic_data, tmp_path):
    root = _copy_coco(synthetic_data, tmp_path)
    victim = sorted((root / 'train2017').iterdir())[0]
    victim.unlink()
    dataset = _dataset(root, filter_cfg=dict(filter_empty_gt=False))
    index = next(i for i in range(len(dataset)) if dataset.get_data_info(i)['img_path'].endswith(victim.name))
    with pytest.raises(FileNotFoundError, match=victim.name):
        dataset[index]


def test_truncated_json_is_named(tmp_path, synthetic_data):
    root = _copy_coco(synthetic_data, tmp_path)
    path = root / 'annotations' / 'instances_train2017.json'
    path.write_text(path.read_text()[:-50])
    with pytest.raises(ValueError, match='instances_train2017.json: not valid JSON'):
        _dataset(root)


@pytest.mark.parametrize('drop, message', [('bbox', r"annotation \d+ of image \d+ lacks \['bbox'\]"),
                                           ('file_name', r"image entry \d+ lacks \['file_name'\]")])
def test_entry_without_a_required_field_is_named(tmp_path, synthetic_data, drop, message):
    root = _copy_coco(synthetic_data, tmp_path)
    path = root / 'annotations' / 'instances_train2017.json'
    coco = json.loads(path.read_text())
    entries = coco['annotations'] if drop == 'bbox' else coco['images']
    del entries[0][drop]
    path.write_text(json.dumps(coco))
    with pytest.raises(ValueError, match='instances_train2017.json: ' + message):
        _dataset(root)
