"""Every malformed input is named or counted: COCO annotations per kind, unreadable images, empty captions."""
import json
import logging
import shutil

import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from visft_mm.datasets import CocoCaptionDataset, StrictCocoDataset, Vocabulary

CLASSES = ('circle', 'square', 'triangle', 'star')
LOAD = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', with_bbox=True),
        dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape'))]


@pytest.fixture
def coco(synthetic_data, tmp_path):
    """A writable copy of the synthetic COCO tree: (root, train annotations as a dict, writer)."""
    root, _ = synthetic_data
    shutil.copytree(root / 'coco', tmp_path / 'coco')
    path = tmp_path / 'coco' / 'annotations' / 'instances_train2017.json'
    return tmp_path / 'coco', json.loads(path.read_text()), lambda data: path.write_text(json.dumps(data))


@pytest.fixture
def warnings_logged():
    """The messages MMLogger's current instance logs during the test."""
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def _detection(root, **kwargs):
    init_default_scope('mmdet')
    return StrictCocoDataset(data_root=str(root), ann_file='annotations/instances_train2017.json',
                             data_prefix=dict(img='train2017/'), metainfo=dict(classes=CLASSES), pipeline=LOAD,
                             filter_cfg=dict(filter_empty_gt=False), **kwargs)


def _damage(data, kind):
    """Applies one kind of damage to the first annotation; returns its id and image."""
    ann = data['annotations'][0]
    image = next(img for img in data['images'] if img['id'] == ann['image_id'])
    if kind == 'negative width':
        ann['bbox'][2] = -3.0
    elif kind == 'outside the image':
        ann['bbox'] = [image['width'] + 5.0, 2.0, 4.0, 4.0]
    elif kind == 'unknown image id':
        ann['image_id'] = 987654
    elif kind == 'no image id':
        del ann['image_id']
    elif kind == 'zero-size box':
        ann['bbox'][2] = 0.5
    elif kind == 'zero-area polygon':
        x, y = ann['bbox'][:2]
        ann['segmentation'] = [[x, y, x + 3, y + 3, x + 6, y + 6]]  # collinear
    return ann['id'], image['id']


@pytest.mark.parametrize('kind, message', [
    ('negative width', r'annotation {ann} of image {img} has bbox .* of negative width or height'),
    ('outside the image', r'annotation {ann} of image {img} has bbox .* entirely outside its \d+x\d+ image'),
    ('unknown image id', r'annotation {ann} names image_id 987654, which no image entry has'),
    ('no image id', r"annotation {ann} lacks \['image_id'\]"),
])
def test_malformed_annotation_is_an_error_naming_file_and_id(coco, kind, message):
    root, data, write = coco
    ann, img = _damage(data, kind)
    write(data)
    with pytest.raises(ValueError, match='instances_train2017.json: ' + message.format(ann=ann, img=img)):
        _detection(root)


@pytest.mark.parametrize('kind, key, logged', [
    ('zero-size box', 'zero_box', 'a box under 1 pixel wide or high'),
    ('zero-area polygon', 'zero_polygon', 'a polygon mask of zero area'),
])
def test_degenerate_annotation_is_a_counted_skip(coco, warnings_logged, kind, key, logged):
    root, data, write = coco
    ann, img = _damage(data, kind)
    write(data)
    dataset = _detection(root)
    assert dataset.skipped_annotations[key] == [ann]
    infos = (dataset.get_data_info(i) for i in range(len(dataset)))
    instances = next(d for d in infos if d['img_id'] == img)['instances']
    assert len(instances) == sum(1 for a in data['annotations'] if a['image_id'] == img) - 1
    assert sum(f'skipped 1 annotations with {logged}' in m and f'(ids [{ann}])' in m for m in warnings_logged) == 1


def _corrupt_first_image(dataset):
    path = dataset.get_data_info(0)['img_path']
    with open(path, 'wb') as f:
        f.write(b'\xff\xd8\xff\xe0 not a jpeg at all' * 4)
    return path


def test_unreadable_image_error_names_file_and_option(coco):
    root, _, _ = coco
    dataset = _detection(root)
    path = _corrupt_first_image(dataset)
    with pytest.raises(OSError, match=f'{path} cannot be read.*on_unreadable_image=\'skip\''):
        dataset[0]


def test_unreadable_image_skip_is_counted_and_deterministic(coco, warnings_logged):
    import numpy as np
    root, _, _ = coco
    dataset = _detection(root, on_unreadable_image='skip')
    path = _corrupt_first_image(dataset)
    picks = []
    for _ in range(2):
        np.random.seed(3)  # as the training loops seed each iteration
        picks.append(dataset[0]['data_samples'].img_path)
    assert picks[0] == picks[1] != path
    assert dataset.unreadable_skipped == 2
    assert [m for m in warnings_logged if 'skipping unreadable image' in m][-1].endswith(
        "2 skipped so far (on_unreadable_image='skip')")
    assert path in warnings_logged[-1]


def test_unreadable_image_in_test_mode_stops(coco):
    root, _, _ = coco
    dataset = _detection(root, on_unreadable_image='skip', test_mode=True)
    path = _corrupt_first_image(dataset)
    with pytest.raises(OSError, match=f'{path} cannot be read'):
        dataset[0]


def test_captions_without_words_are_left_out_and_reported(synthetic_data, tmp_path, warnings_logged):
    root, files = synthetic_data
    karpathy = json.loads(open(files['karpathy']).read())
    train = [img for img in karpathy['images'] if img['split'] == 'train']
    train[0]['sentences'][0]['raw'] = '... ! ,'  # PTB keeps '!!!' as a token, drops '!'
    train[1]['sentences'][0]['raw'] = 'zyzzyva quokka'
    train[1]['sentences'][1]['raw'] = 'Xylograph!'
    ann_file = tmp_path / 'dataset_coco.json'
    ann_file.write_text(json.dumps(karpathy))
    vocab = tmp_path / 'vocab.json'
    Vocabulary.from_annotations(files['karpathy']).save(str(vocab))
    dataset = CocoCaptionDataset(ann_file=str(ann_file), vocab_file=str(vocab), splits=['train'],
                                 data_prefix=dict(img_path=str(root / 'coco' / 'train2017')), pipeline=[])
    assert dataset.left_out_captions == dict(no_words=1, only_unknown=2)
    assert len(dataset) == sum(len(img['sentences']) for img in train) - 3
    assert any("left out 1 training captions with no word (only punctuation), e.g. '... ! ,'" in m
               for m in warnings_logged)
    assert any('left out 2 training captions with only words outside the vocabulary' in m for m in warnings_logged)
