"""ClovaaiLMDBDataset reads LMDBs written in clovaai's layout with the ``lmdb`` package, and names file and key
on bad input."""
import os.path as osp

import cv2
import lmdb
import numpy as np
import pytest

DICT_FILE = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'probes', 'ocr', 'dicts', 'printable94.txt')
PIPELINE = [
    dict(type='mmocr.LoadImageFromNDArray'),
    dict(type='mmocr.LoadOCRAnnotations', with_text=True),
    dict(type='mmocr.Resize', scale=(56, 56), keep_ratio=False),
    dict(type='mmocr.PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]


def write_lmdb(path, labels, drop=(), num_samples=None):
    """Keys as clovaai's create_lmdb_dataset.py: image-%09d / label-%09d from 1, num-samples; ``drop`` leaves
    keys out."""
    env = lmdb.open(str(path), map_size=1 << 24)
    with env.begin(write=True) as txn:
        for index, label in enumerate(labels, start=1):
            image = np.full((20, 12 * len(label) + 8, 3), 40 * index % 255, np.uint8)
            cv2.putText(image, label, (2, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1)
            for key, value in ((f'image-{index:09d}', cv2.imencode('.png', image)[1].tobytes()),
                               (f'label-{index:09d}', label.encode('utf-8'))):
                if key not in drop:
                    txn.put(key.encode(), value)
        if 'num-samples' not in drop:
            txn.put(b'num-samples', str(len(labels) if num_samples is None else num_samples).encode())
    env.close()
    return str(path)


def build(ann_file, **kwargs):
    from visft_mm.registry import DATASETS
    return DATASETS.build(dict(type='ClovaaiLMDBDataset', ann_file=ann_file, pipeline=PIPELINE, **kwargs))


def test_reads_clovaai_layout_like_mmocr(tmp_path):
    from mmocr.datasets import RecogLMDBDataset
    path = write_lmdb(tmp_path / 'IIIT5k_3000', ['Hello', 'w0rld!', 'ViT'])
    dataset = build(path, dict_file=DICT_FILE, max_label_length=25)
    assert len(dataset) == 3
    assert [dataset.get_data_info(i)['instances'][0]['text'] for i in range(3)] == ['Hello', 'w0rld!', 'ViT']
    sample = dataset[1]
    assert tuple(sample['inputs'].shape) == (3, 56, 56)
    assert sample['data_samples'].gt_text.item == 'w0rld!'
    assert sample['data_samples'].img_path == osp.join(path, 'image-000000002')
    assert sample['data_samples'].ori_shape == (20, 12 * 6 + 8)
    dataset.close()  # lmdb refuses a second environment on the same file in one process
    # mmocr's own reader agrees on this file
    reference = RecogLMDBDataset(ann_file=path, pipeline=[])
    assert [reference.get_data_info(i)['instances'][0]['text'] for i in range(3)] == ['Hello', 'w0rld!', 'ViT']
    reference.close()


def test_two_readers_of_one_file_in_one_process(tmp_path):
    """A training and a test runner (or two benchmark cells) in one process open the same LMDB."""
    path = write_lmdb(tmp_path / 'validation', ['one', 'two'])
    first, second = build(path), build(path, test_mode=True)
    assert second[1]['data_samples'].gt_text.item == 'two'
    first.close()
    assert second[0]['data_samples'].gt_text.item == 'one'
    second.close()
    third = build(path)  # reopened after the last user closed it
    assert len(third) == 2
    third.close()


def test_unknown_characters_and_long_labels_are_a_counted_skip(tmp_path):
    labels = ['caf\u00e9', 'ok', 'x' * 26, 'na\u00efve', 'fine']
    path = write_lmdb(tmp_path / 'ST', labels)
    dataset = build(path, dict_file=DICT_FILE, max_label_length=25)
    assert [dataset.get_data_info(i)['instances'][0]['text'] for i in range(len(dataset))] == ['ok', 'fine']
    assert dataset.num_skipped == dict(unknown_char=2, too_long=1)
    # the kept samples point at their own keys (not renumbered)
    assert dataset.get_data_info(1)['img_key'] == 'image-000000005'
    dataset.close()
    # evaluation keeps every label (ViTSTR's --data_filtering_off)
    assert len(build(path, test_mode=True)) == 5


def test_missing_label_key_names_file_and_key(tmp_path):
    path = write_lmdb(tmp_path / 'MJ_train', ['a', 'b', 'c'], drop=('label-000000002',))
    with pytest.raises(KeyError, match=r"MJ_train.*'label-000000002'"):
        build(path)


def test_missing_num_samples_names_file(tmp_path):
    path = write_lmdb(tmp_path / 'SVT', ['a'], drop=('num-samples',))
    with pytest.raises(KeyError, match=r"SVT.*'num-samples'"):
        build(path)


def test_missing_image_key_names_file_and_key_instead_of_another_sample(tmp_path):
    path = write_lmdb(tmp_path / 'CUTE80', ['a', 'b'], drop=('image-000000002',))
    dataset = build(path)  # mmocr's reader would silently draw another sample here
    dataset[0]
    with pytest.raises(KeyError, match=r"CUTE80.*'image-000000002'"):
        dataset[1]


def test_not_an_lmdb_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match='no LMDB'):
        build(str(tmp_path / 'missing'))


@pytest.mark.parametrize('cut, error', [(lambda n: 4096, lmdb.Error), (lambda n: n // 2, OSError),
                                        (lambda n: n - 100, OSError)], ids=['header only', 'half', 'last page cut'])
def test_truncated_lmdb_is_named_before_any_read(tmp_path, cut, error):
    """lmdb maps the file: reading a page past a truncated end would kill the process with SIGBUS."""
    path = write_lmdb(tmp_path / 'IIIT5K', ['abc', 'de', 'fgh'] * 30)
    data = (tmp_path / 'IIIT5K' / 'data.mdb').read_bytes()
    (tmp_path / 'IIIT5K' / 'data.mdb').write_bytes(data[:cut(len(data))])
    with pytest.raises(error, match=r'IIIT5K.*(truncated|not an LMDB)'):
        build(path)


def test_num_samples_that_is_not_a_number_names_file(tmp_path):
    path = write_lmdb(tmp_path / 'SVT', ['a'], num_samples='1e3')
    with pytest.raises(ValueError, match=r"SVT: 'num-samples' is b'1e3', not a number"):
        build(path)


def test_undecodable_image_names_file_and_key(tmp_path):
    path = write_lmdb(tmp_path / 'IC13', ['a', 'b'])
    env = lmdb.open(path, map_size=1 << 24)
    with env.begin(write=True) as txn:
        txn.put(b'image-000000002', b'\x89PNG but cut')
    env.close()
    dataset = build(path)
    dataset[0]
    with pytest.raises(ValueError, match=r"IC13: 'image-000000002' is not a decodable image"):
        dataset[1]
