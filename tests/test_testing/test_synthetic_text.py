"""The synthetic text sets are in the real layouts: mmocr's own readers (RecogLMDBDataset, OCRDataset) load them."""
import os.path as osp

import mmcv
import pytest


@pytest.fixture(scope='module')
def text_data(tmp_path_factory):
    from visft_mm.testing.synthetic_text import generate_synthetic_text_data
    root = tmp_path_factory.mktemp('synthetic_text')
    return root, generate_synthetic_text_data(str(root), num_train=8, num_test=3, num_unknown_char=1, seed=1)


def test_real_set_names_and_layouts(text_data):
    from mmocr.datasets import OCRDataset, RecogLMDBDataset
    root, written = text_data
    for name in ('IIIT5k_3000', 'SVT', 'IC03_860', 'IC03_867', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077',
                 'SVTP', 'CUTE80'):
        path = osp.join(root, 'textrecog_lmdb', 'evaluation', name)
        assert written[f'evaluation/{name}'] == path
        dataset = RecogLMDBDataset(ann_file=path, pipeline=[])
        assert len(dataset) == 3
        image = dataset.prepare_data(0)['img']
        dataset.close()
        assert image.ndim == 3 and image.shape[2] == 3 and image.shape[0] >= 16
    for name, size in (('training/ST', 8), ('training/MJ/MJ_valid', 2)):
        dataset = RecogLMDBDataset(ann_file=written[name], pipeline=[])
        assert len(dataset) == size
        dataset.close()
    ic13 = OCRDataset(data_root=osp.join(root, 'textrecog_mmocr', 'icdar2013'), ann_file='textrecog_test_857.json',
                      pipeline=[])
    info = ic13.get_data_info(0)
    assert mmcv.imread(info['img_path']) is not None and info['instances'][0]['text']


def test_st_holds_the_requested_unknown_character_labels(text_data):
    from visft_mm.testing.synthetic_text import PRINTABLE_94, read_clovaai_lmdb
    _, written = text_data
    labels = [read_clovaai_lmdb(written['training/ST'], i)[1] for i in range(1, 9)]
    assert sum(not set(label) <= set(PRINTABLE_94) for label in labels) == 1
    assert len(PRINTABLE_94) == 94


def test_seeded(tmp_path):
    from visft_mm.testing.synthetic_text import generate_synthetic_text_data, read_clovaai_lmdb
    a = generate_synthetic_text_data(str(tmp_path / 'a'), num_train=4, num_test=1, seed=3)
    b = generate_synthetic_text_data(str(tmp_path / 'b'), num_train=4, num_test=1, seed=3)
    assert read_clovaai_lmdb(a['evaluation/SVTP'], 1) == read_clovaai_lmdb(b['evaluation/SVTP'], 1)
