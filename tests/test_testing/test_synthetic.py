"""The synthetic data is valid for the real loaders: pycocotools, mmdet's CocoDataset, mmocr's OCRDataset."""
import hashlib
import json
import os.path as osp

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from visft_mm.testing import generate_synthetic_data
from visft_mm.testing.synthetic import CATEGORIES


def _load(path):
    with open(path) as f:
        return json.load(f)


def test_instances_json_is_valid_coco(synthetic_data):
    _, files = synthetic_data
    coco = COCO(files['instances_train'])
    assert sorted(coco.getCatIds()) == [c['id'] for c in CATEGORIES]
    anns = coco.loadAnns(coco.getAnnIds())
    assert any(a['iscrowd'] for a in anns), 'expected crowd annotations'
    assert any(isinstance(a['segmentation'], list) for a in anns), 'expected polygon masks'
    assert any(isinstance(a['segmentation'], dict) for a in anns), 'expected RLE masks'
    assert any(not coco.getAnnIds(imgIds=i) for i in coco.getImgIds()), 'expected images without objects'
    for ann in anns:
        mask = coco.annToMask(ann)
        x, y, w, h = ann['bbox']
        img = coco.loadImgs(ann['image_id'])[0]
        assert 0 <= x and 0 <= y and x + w <= img['width'] and y + h <= img['height']
        assert mask.shape == (img['height'], img['width'])
        # the mask lies inside its box and its area matches the recorded one
        ys, xs = np.nonzero(mask)
        assert xs.min() >= x - 1 and xs.max() <= x + w and ys.min() >= y - 1 and ys.max() <= y + h
        assert abs(mask.sum() - ann['area']) <= 0.1 * ann['area'] + 8


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
def test_cocoeval_scores_ground_truth_as_perfect(synthetic_data, iou_type):
    _, files = synthetic_data
    gt = COCO(files['instances_val'])
    dets = [dict(image_id=a['image_id'], category_id=a['category_id'], bbox=a['bbox'],
                 segmentation=a['segmentation'], score=1.0)
            for a in gt.loadAnns(gt.getAnnIds()) if not a['iscrowd']]
    evaluator = COCOeval(gt, gt.loadRes(dets), iou_type)
    evaluator.evaluate()
    evaluator.accumulate()
    evaluator.summarize()
    assert evaluator.stats[0] > 0.99


def test_images_match_annotation_sizes(synthetic_data):
    from PIL import Image
    root, files = synthetic_data
    for split in ('train', 'val'):
        for img in _load(files[f'instances_{split}'])['images']:
            with Image.open(osp.join(root, 'coco', f'{split}2017', img['file_name'])) as im:
                assert im.size == (img['width'], img['height'])


def test_mmdet_coco_dataset_with_train_pipeline(synthetic_data):
    from mmdet.datasets import CocoDataset
    from mmdet.structures import DetDataSample
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    root, _ = synthetic_data
    dataset = CocoDataset(
        data_root=str(root / 'coco'),
        ann_file='annotations/instances_train2017.json',
        data_prefix=dict(img='train2017/'),
        metainfo=dict(classes=tuple(c['name'] for c in CATEGORIES)),
        filter_cfg=dict(filter_empty_gt=False),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
            dict(type='RandomFlip', prob=0.5),
            dict(type='RandomResize', scale=(448, 336), ratio_range=(0.5, 1.5), keep_ratio=True),
            dict(type='PackDetInputs'),
        ])
    assert len(dataset) == 24
    labels = set()
    for i in range(len(dataset)):
        sample = dataset[i]
        data_sample = sample['data_samples']
        assert isinstance(data_sample, DetDataSample)
        instances = data_sample.gt_instances
        assert sample['inputs'].shape[0] == 3
        assert len(instances.bboxes) == len(instances.labels) == len(instances.masks)
        assert instances.masks.height == sample['inputs'].shape[1]
        labels.update(instances.labels.tolist())
    assert labels == {0, 1, 2, 3}


def test_captions_and_karpathy_split(synthetic_data):
    _, files = synthetic_data
    for split in ('train', 'val'):
        caps = _load(files[f'captions_{split}'])
        per_image = {}
        for ann in caps['annotations']:
            assert ann['caption'].strip()
            per_image.setdefault(ann['image_id'], []).append(ann['caption'])
        assert {img['id'] for img in caps['images']} == set(per_image)
        assert all(len(v) == 5 for v in per_image.values())
    karpathy = _load(files['karpathy'])
    assert karpathy['dataset'] == 'coco'
    assert {img['split'] for img in karpathy['images']} == {'train', 'val', 'test', 'restval'}
    for img in karpathy['images']:
        assert len(img['sentences']) == 5 and img['sentids'] == [s['sentid'] for s in img['sentences']]
        assert img['filename'] == f'COCO_{img["filepath"]}_{img["cocoid"]:012d}.jpg'
        assert all(s['tokens'] and s['imgid'] == img['imgid'] for s in img['sentences'])


def test_captions_describe_the_drawn_objects(synthetic_data):
    _, files = synthetic_data
    coco = COCO(files['instances_train'])
    names = {c['id']: c['name'] for c in CATEGORIES}
    caps = _load(files['captions_train'])['annotations']
    for img_id in coco.getImgIds():
        drawn = {names[a['category_id']] for a in coco.loadAnns(coco.getAnnIds(imgIds=img_id))}
        text = ' '.join(c['caption'] for c in caps if c['image_id'] == img_id)
        for name in drawn:
            assert name in text
        for name in set(names.values()) - drawn:
            assert name not in text


def test_generation_is_deterministic(tmp_path):
    def digest(root):
        h = hashlib.sha256()
        for rel in ('coco/annotations/instances_train2017.json', 'coco/annotations/captions_val2017.json',
                    'coco/train2017/000000100003.jpg', 'coco/annotations/dataset_coco.json'):
            h.update((root / rel).read_bytes())
        return h.hexdigest()

    kwargs = dict(num_train=4, num_val=2, seed=3)
    generate_synthetic_data(str(tmp_path / 'a'), **kwargs)
    generate_synthetic_data(str(tmp_path / 'b'), **kwargs)
    generate_synthetic_data(str(tmp_path / 'c'), **{**kwargs, 'seed': 4})
    assert digest(tmp_path / 'a') == digest(tmp_path / 'b') != digest(tmp_path / 'c')


@pytest.mark.parametrize('kwargs, message', [
    (dict(num_train=-1), 'num_train must be a non-negative integer, got -1'),
    (dict(num_val=2.5), 'num_val must be a non-negative integer'),
    (dict(crowd_prob=1.5), 'crowd_prob must be in'),
    (dict(image_size=((10, 20), (64, 64))), 'image_size'),
])
def test_bad_arguments_are_named(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate_synthetic_data(str(tmp_path), **kwargs)


def test_unwritable_output_dir_is_named(tmp_path):
    blocker = tmp_path / 'a_file'
    blocker.write_text('not a folder')
    with pytest.raises(OSError, match='cannot write synthetic data under .*a_file'):
        generate_synthetic_data(str(blocker / 'out'), num_train=1, num_val=1)


def test_tool_reports_bad_input_without_traceback(tmp_path):
    import subprocess
    import sys
    tool = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'dataset_converters', 'make_synthetic_data.py')
    result = subprocess.run([sys.executable, tool, str(tmp_path), '--num-train', '-3'],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert 'error: num_train must be a non-negative integer, got -3' in result.stderr
    assert 'Traceback' not in result.stderr


def test_small_eva_checkpoint_is_a_full_eva_clip_file(synthetic_data):
    import torch

    from visft_mm.models import EVAViT
    from visft_mm.models.weights.eva_formats import load_eva_weights
    _, files = synthetic_data
    state = torch.load(files['eva_checkpoint'], weights_only=True)
    assert 'visual.blocks.0.attn.qkv.weight' in state and 'logit_scale' in state
    model = EVAViT('tiny')
    assert load_eva_weights(model, files['eva_checkpoint']) == 'eva_clip'
