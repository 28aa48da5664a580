"""Zero-shot benchmark readers on tiny trees written in each benchmark's real layout."""
import json
import os
import pickle

import numpy as np
import pytest
from PIL import Image

from visft_mm.datasets.zero_shot_classes import classnames, imagenet_wnids, templates
from visft_mm.registry import DATASETS


def _image(path, size=(20, 16), value=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new('RGB', size, (value, value, value)).save(path)


def _folders(root, names, per_folder=1, ext='.jpg'):
    for name in names:
        for i in range(per_folder):
            _image(str(root / name / f'img_{i}{ext}'))


def test_classnames_and_templates_are_clip_benchmarks():
    assert classnames('imagenet1k')[:2] == ['tench', 'goldfish'] and len(classnames('imagenet1k')) == 1000
    assert classnames('imagenet_a')[0] == 'stingray' and len(classnames('imagenet_a')) == 200
    assert classnames('imagenet_r')[0] == 'goldfish' and len(classnames('imagenet_r')) == 200
    assert len(classnames('caltech101')) == 102 and classnames('caltech101')[0] == 'background'
    assert 'aquarium_fish' in classnames('cifar100')  # the pickle's names, as torchvision gives them
    assert len(templates('imagenet1k')) == 80 and templates('cifar10')[0] == 'a photo of a {c}.'
    with pytest.raises(KeyError, match='unknown zero-shot benchmark'):
        classnames('imagenet-z')
    with pytest.raises(ValueError, match='{c}'):
        templates(['a photo of a {}.'])


@pytest.mark.parametrize('benchmark', ['imagenet_a', 'imagenet_r'])
def test_imagenet_subsets_map_wnids_to_their_200_classes(tmp_path, benchmark):
    wnids = sorted(imagenet_wnids()[benchmark])
    _folders(tmp_path, wnids[:3], per_folder=2)
    for wnid in wnids[3:]:
        (tmp_path / wnid).mkdir()
    _image(str(tmp_path / wnids[-1] / 'last.jpg'))
    dataset = DATASETS.build(dict(type='ZeroShotImageFolder', benchmark=benchmark, data_root=str(tmp_path)))
    assert len(dataset) == 7 and len(dataset.metainfo['classes']) == 200
    labels = [dataset.get_data_info(i)['gt_label'] for i in range(len(dataset))]
    assert labels == [0, 0, 1, 1, 2, 2, 199]
    index_1k = imagenet_wnids()['imagenet1k'].index(wnids[1])
    assert dataset.metainfo['classes'][1] == classnames('imagenet1k')[index_1k]


def test_imagenet_folder_set_is_checked(tmp_path):
    wnids = imagenet_wnids()['imagenet1k']
    _folders(tmp_path, wnids[:-1] + ['n99999999'])
    with pytest.raises(ValueError, match=r"missing class folders \['n15075141'\].*unexpected \['n99999999'\]"):
        DATASETS.build(dict(type='ZeroShotImageFolder', benchmark='imagenet1k', data_root=str(tmp_path)))
    with pytest.raises(FileNotFoundError, match='imagenet_sketch folder .*nowhere.* expected layout'):
        DATASETS.build(dict(type='ZeroShotImageFolder', benchmark='imagenet_sketch',
                            data_root=str(tmp_path / 'nowhere')))


def test_eurosat_and_caltech_folders(tmp_path):
    eurosat = ['AnnualCrop', 'Forest', 'HerbaceousVegetation', 'Highway', 'Industrial', 'Pasture',
               'PermanentCrop', 'Residential', 'River', 'SeaLake']
    _folders(tmp_path / 'eurosat', eurosat)
    dataset = DATASETS.build(dict(type='ZeroShotImageFolder', benchmark='eurosat',
                                  data_root=str(tmp_path / 'eurosat')))
    assert [dataset.get_data_info(i)['gt_label'] for i in range(10)] == list(range(10))
    assert dataset.metainfo['classes'][9] == 'lake or sea'
    with pytest.raises(ValueError, match=r'has 10 class folders \(.*\), caltech101 name 102'):
        DATASETS.build(dict(type='ZeroShotImageFolder', benchmark='caltech101', data_root=str(tmp_path / 'eurosat')))
    caltech = ['BACKGROUND_Google', 'Faces', 'Faces_easy', 'Leopards', 'Motorbikes'] + [f'c{i:03d}' for i in range(97)]
    _folders(tmp_path / 'caltech', caltech)
    dataset = DATASETS.build(dict(type='ZeroShotImageFolder', benchmark='caltech101',
                                  data_root=str(tmp_path / 'caltech')))
    assert dataset.get_data_info(2)['img_path'].endswith('Faces_easy/img_0.jpg')
    assert dataset.metainfo['classes'][2] == 'centered face'


@pytest.mark.parametrize('name, folder, file, label_key, num_classes', [
    ('ZeroShotCIFAR10', 'cifar-10-batches-py', 'test_batch', 'labels', 10),
    ('ZeroShotCIFAR100', 'cifar-100-python', 'test', 'fine_labels', 100)])
def test_cifar_test_pickles(tmp_path, name, folder, file, label_key, num_classes):
    rng = np.random.RandomState(0)
    data = rng.randint(0, 256, size=(5, 3 * 32 * 32), dtype=np.uint8)
    labels = [0, 3, 7, 1, num_classes - 1]
    os.makedirs(tmp_path / folder)
    with open(tmp_path / folder / file, 'wb') as f:
        pickle.dump({'data': data, label_key: labels}, f)
    dataset = DATASETS.build(dict(type=name, data_root=str(tmp_path), verify_md5=False))
    assert len(dataset) == 5 and len(dataset.metainfo['classes']) == num_classes
    item = dataset.get_data_info(1)
    assert item['gt_label'] == 3
    # channel-first rows -> HWC RGB arrays: pixel (0, 0) is (R, G, B) = (data[0], data[1024], data[2048])
    assert item['img'][0, 0].tolist() == [data[1, 0], data[1, 1024], data[1, 2048]]
    with pytest.raises(ValueError, match='published md5'):
        DATASETS.build(dict(type=name, data_root=str(tmp_path)))
    with pytest.raises(FileNotFoundError, match=f'{file}.*expected layout'):
        DATASETS.build(dict(type=name, data_root=str(tmp_path / 'empty')))


def test_gtsrb_official_test_layout(tmp_path):
    images = tmp_path / 'GTSRB' / 'Final_Test' / 'Images'
    rows = [('00000.ppm', 16), ('00001.ppm', 1), ('00002.ppm', 38)]
    for name, _ in rows:
        _image(str(images / name), size=(30, 32))
    with open(tmp_path / 'GT-final_test.csv', 'w') as f:
        f.write('Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n')
        for name, label in rows:
            f.write(f'{name};30;32;5;5;25;27;{label}\n')
    dataset = DATASETS.build(dict(type='GTSRBTest', data_root=str(tmp_path)))
    assert [dataset.get_data_info(i)['gt_label'] for i in range(3)] == [16, 1, 38]
    assert dataset.get_data_info(2)['img_path'].endswith('GTSRB/Final_Test/Images/00002.ppm')
    assert len(dataset.metainfo['classes']) == 43
    os.remove(images / '00001.ppm')
    with pytest.raises(FileNotFoundError, match='00001.ppm'):
        DATASETS.build(dict(type='GTSRBTest', data_root=str(tmp_path)))


def write_karpathy(root, with_filepath, captions=(5, 6, 5), split_of=lambda i: 'test'):
    """A Karpathy split file and its images (COCO layout with filepath, Flickr30k layout without)."""
    images, sentid = [], 0
    for i, n in enumerate(captions):
        name = f'COCO_val2014_{i:012d}.jpg' if with_filepath else f'{1000 + i}.jpg'
        folder = root / ('val2014' if with_filepath else 'flickr30k-images')
        _image(str(folder / name), value=40 * i)
        sentences = [dict(raw=f'image {i} caption {k}', tokens=[], imgid=i, sentid=sentid + k) for k in range(n)]
        image = dict(filename=name, imgid=i, split=split_of(i), sentids=[s['sentid'] for s in sentences],
                     sentences=sentences)
        if with_filepath:
            image['filepath'] = 'val2014'
        images.append(image)
        sentid += n
    with open(root / 'karpathy.json', 'w') as f:
        json.dump(dict(images=images, dataset='coco' if with_filepath else 'flickr30k'), f)


@pytest.mark.parametrize('coco', [True, False], ids=['coco', 'flickr30k'])
def test_karpathy_retrieval(tmp_path, coco):
    write_karpathy(tmp_path, coco, split_of=lambda i: 'train' if i == 1 else 'test')
    dataset = DATASETS.build(dict(type='KarpathyRetrieval', data_root=str(tmp_path), ann_file='karpathy.json',
                                  data_prefix='' if coco else 'flickr30k-images'))
    assert len(dataset) == 2 and (dataset.img_size, dataset.text_size) == (2, 10)
    second = dataset.get_data_info(1)
    assert second['text'][0] == 'image 2 caption 0' and second['gt_text_id'] == list(range(5, 10))
    assert second['gt_image_id'] == [1] * 5
    assert os.path.isfile(second['img_path'])
    os.remove(second['img_path'])
    with pytest.raises(FileNotFoundError, match='1 of the 2 test images'):
        DATASETS.build(dict(type='KarpathyRetrieval', data_root=str(tmp_path), ann_file='karpathy.json',
                            data_prefix='' if coco else 'flickr30k-images'))
    with pytest.raises(FileNotFoundError, match='Karpathy split file .*expected layout'):
        DATASETS.build(dict(type='KarpathyRetrieval', data_root=str(tmp_path), ann_file='dataset_coco.json'))


def test_karpathy_image_without_captions_is_named(tmp_path):
    write_karpathy(tmp_path, False, captions=(5, 0, 5))
    with pytest.raises(ValueError, match=r"karpathy.json': 1 test image\(s\) without captions, e.g. 1001.jpg "
                       r"\(imgid 1\)"):
        DATASETS.build(dict(type='KarpathyRetrieval', data_root=str(tmp_path), ann_file='karpathy.json',
                            data_prefix='flickr30k-images'))


@pytest.mark.parametrize('folders', [['circle', 'square'], ['circle', 'square', 'star', 'triangle']],
                         ids=['missing class', 'extra class'])
def test_class_folders_that_do_not_match_the_classnames_are_named(tmp_path, folders):
    _folders(tmp_path, folders)
    with pytest.raises(ValueError, match=rf"has {len(folders)} class folders .*the 3 classnames name 3 classes"):
        DATASETS.build(dict(type='ZeroShotImageFolder', classnames=['circle', 'square', 'star'],
                            data_root=str(tmp_path)))
