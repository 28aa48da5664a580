"""The M3IT coco-goi reader on files written by hand in M3IT's field layout, and its bad-line behaviour."""
import base64
import io
import json

import pytest
from mmengine.dataset import BaseDataset
from PIL import Image

from visft_mm.datasets import LoadImageFromBase64, M3ITGOIDataset, goi_classes, write_goi_classes


def _image_str(color, size=(40, 30)) -> str:
    buffer = io.BytesIO()
    Image.new('RGB', size, color).save(buffer, format='PNG')
    return base64.b64encode(buffer.getvalue()).decode('ascii')


def _line(answer, candidates, color=(255, 0, 0), size=(40, 30), **override):
    # M3IT coco-goi: "input" = a first line the loader drops, then one candidate per line; "outputs" = the name;
    # "image_str" = base64 of the image with the region marked.
    record = {'input': 'Options:\n' + '\n'.join(candidates), 'outputs': answer,
              'image_str': _image_str(color, size)}
    record.update(override)
    return json.dumps(record)


def _write(path, lines):
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def _dataset(ann_file, **kwargs):
    pipeline = [dict(type='LoadImageFromBase64'), dict(type='mmpretrain.PackInputs')]
    return M3ITGOIDataset(ann_file=ann_file, pipeline=pipeline, **kwargs)


def test_reads_m3it_layout(tmp_path):
    ann = _write(tmp_path / 'train.jsonl', [
        _line('dog', ['cat', 'dog', 'person'], color=(255, 0, 0), size=(40, 30)),
        _line('person', ['person', 'traffic light'], color=(0, 0, 255), size=(24, 36)),
        '',  # a blank line (e.g. at the end) is not a record
        _line('traffic light', ['dog', 'traffic light'], color=(0, 255, 0)),
    ])
    dataset = _dataset(ann)
    assert dataset.CLASSES == ('cat', 'dog', 'person', 'traffic light')  # the sorted union, from the data
    assert len(dataset) == 3 and dataset.skipped_lines == []
    assert dataset.get_gt_labels().tolist() == [1, 2, 3]
    info = dataset.get_data_info(1)
    assert info['line'] == 2 and info['source'].endswith('train.jsonl:2')
    assert base64.b64decode(info['img_base64'])[:4] == b'\x89PNG'
    sample = dataset[1]
    assert tuple(sample['inputs'].shape) == (3, 36, 24)
    # BGR as LoadImageFromFile gives it: the blue image has its blue channel first
    assert sample['inputs'][:, 0, 0].tolist() == [255, 0, 0]
    assert sample['data_samples'].gt_label.tolist() == [2]
    # the data list keeps positions and labels, not the images
    assert set(BaseDataset.get_data_info(dataset, 0)) == {'line', 'offset', 'gt_label', 'sample_idx'}


def test_class_file_shared_by_splits(tmp_path):
    train = _write(tmp_path / 'train.jsonl', [_line('dog', ['cat', 'dog']), _line('bird', ['bird', 'dog'])])
    val = _write(tmp_path / 'val.jsonl', [_line('cat', ['cat', 'dog'])])
    assert goi_classes(train) == ['bird', 'cat', 'dog']
    classes_file = str(tmp_path / 'classes.txt')
    write_goi_classes(train, classes_file)
    train_set, val_set = _dataset(train, classes=classes_file), _dataset(val, classes=classes_file)
    assert train_set.CLASSES == val_set.CLASSES == ('bird', 'cat', 'dog')
    assert val_set.get_gt_labels().tolist() == [1]  # 'cat' has the training set's id, not val's own
    assert _dataset(val).CLASSES == ('cat', 'dog')  # what would go wrong without the shared file


@pytest.mark.parametrize('bad_line, message', [
    ('{"input": "Options:\\ndog", "outputs": "dog"', 'not a JSON object'),
    (json.dumps({'input': 'Options:\ndog', 'image_str': 'AAAA'}), "['outputs']"),
    (json.dumps({'input': 'Options:\ndog', 'outputs': 'dog', 'image_str': ['AAAA']}), "['image_str']"),
    (_line('dog', ['cat', 'bird']), "is not among the line's candidates"),
])
def test_malformed_lines_are_errors_naming_file_and_line(tmp_path, bad_line, message):
    ann = _write(tmp_path / 'val.jsonl', [_line('dog', ['cat', 'dog']), bad_line])
    with pytest.raises(ValueError, match='val.jsonl:2') as error:
        _dataset(ann)
    assert message in str(error.value)


def test_class_outside_the_list_is_an_error(tmp_path):
    ann = _write(tmp_path / 'val.jsonl', [_line('dog', ['cat', 'dog']), _line('zebra', ['zebra', 'dog'])])
    with pytest.raises(ValueError, match=r"val.jsonl:2: class 'zebra' is not in the class list"):
        _dataset(ann, classes=['cat', 'dog'])


def test_undecodable_images_are_counted_skips(tmp_path):
    ann = _write(tmp_path / 'train.jsonl', [
        _line('dog', ['cat', 'dog']),
        _line('cat', ['cat', 'dog'], image_str='not base64 at all!'),
        _line('cat', ['cat', 'dog'], image_str=base64.b64encode(b'plain text, no image').decode()),
        _line('cat', ['cat', 'dog']),
    ])
    dataset = _dataset(ann)
    assert dataset.skipped_lines == [2, 3]
    assert [dataset.get_data_info(i)['line'] for i in range(len(dataset))] == [1, 4]
    assert dataset.CLASSES == ('cat', 'dog')  # skipped lines still name their classes
    only_bad = _write(tmp_path / 'bad.jsonl', [_line('cat', ['cat'], image_str='####')])
    with pytest.raises(ValueError, match='no usable line'):
        _dataset(only_bad)


def test_load_image_from_base64_errors_name_the_source():
    transform = LoadImageFromBase64()
    good = transform(dict(img_base64=_image_str((1, 2, 3), (5, 4)), source='x.jsonl:7'))
    assert good['img'].shape == (4, 5, 3) and good['img'][0, 0].tolist() == [3, 2, 1]
    assert 'img_base64' not in good
    with pytest.raises(ValueError, match='x.jsonl:7'):
        transform(dict(img_base64='@@@', source='x.jsonl:7'))
    with pytest.raises(ValueError, match='x.jsonl:8'):
        transform(dict(img_base64=base64.b64encode(b'not an image').decode(), source='x.jsonl:8'))
