"""Readers of the zero-shot classification and retrieval benchmarks in the layouts they are distributed in.

mmpretrain's readers are used where they fit (class folders, CIFAR pickles, Karpathy-split retrieval); the
subclasses here add what the zero-shot protocol needs: CLIP_benchmark's class names as ``classes``, an exact
check of the class folders present, no download, and errors that name the missing file and the layout expected.
"""
import csv
import os
import os.path as osp
from typing import List, Optional

import mmengine
from mmpretrain.datasets import CIFAR10, CIFAR100, BaseDataset, CustomDataset, Flickr30kRetrieval
from mmpretrain.datasets.utils import check_md5

from visft_mm.registry import DATASETS
from .zero_shot_classes import classnames as benchmark_classnames
from .zero_shot_classes import imagenet_wnids

# benchmark -> (folder names expected: 'imagenet1k' / 'imagenet_a' / 'imagenet_r' wnid lists, or None = any
# folders, counted), layout
_FOLDER_BENCHMARKS = {
    'imagenet1k': ('imagenet1k', 'ILSVRC2012 val in class folders: <data_root>/n01440764/ILSVRC2012_val_00000293.JPEG '
                                 '... (1000 WordNet-id folders, as torchvision / valprep.sh lay it out)'),
    'imagenet_a': ('imagenet_a', 'imagenet-a.tar extracted: <data_root>/n01498041/*.jpg ... (200 WordNet-id folders)'),
    'imagenet_r': ('imagenet_r', 'imagenet-r.tar extracted: <data_root>/n01443537/*.jpg ... (200 WordNet-id folders)'),
    'imagenet_sketch': ('imagenet1k', 'ImageNet-Sketch extracted: <data_root>/n01440764/*.JPEG ... '
                                      '(1000 WordNet-id folders; the archive\'s "sketch" folder)'),
    'eurosat': (None, 'EuroSAT RGB (EuroSAT.zip): <data_root>/AnnualCrop/AnnualCrop_1.jpg ... (10 class folders, '
                      'the "2750" folder; all 27000 images are evaluated, as CLIP_benchmark does)'),
    'caltech101': (None, 'Caltech-101 (101_ObjectCategories.tar.gz): <data_root>/BACKGROUND_Google, Faces, '
                         'Faces_easy, Leopards, Motorbikes, accordion, ... (102 folders incl. the background, all '
                         'images evaluated, as CLIP_benchmark does)'),
}


def _require(path: str, what: str, layout: str) -> str:
    if not osp.exists(path):
        raise FileNotFoundError(f'{what} {path!r} does not exist; expected layout: {layout}')
    return path


@DATASETS.register_module()
class ZeroShotImageFolder(CustomDataset):
    """Class-folder benchmarks (ImageNet-1k val / -A / -R / -Sketch, EuroSAT, Caltech-101).

    Labels are the sorted folder order (torchvision's ``ImageFolder``, as CLIP_benchmark reads them); ``classes``
    are CLIP_benchmark's prompt names.  ImageNet variants must hold exactly their WordNet-id folders (ImageNet-A /
    -R map to their 200 of the 1k classes); the others exactly as many folders as class names.

    Args:
        data_root: the folder holding the class folders.
        benchmark: one of ``imagenet1k``, ``imagenet_a``, ``imagenet_r``, ``imagenet_sketch``, ``eurosat``,
            ``caltech101``; or ``None`` with ``classnames`` for any other class-folder set (one name per folder,
            in sorted folder order).
    """

    def __init__(self, data_root: str, benchmark: Optional[str] = None, classnames: Optional[List[str]] = None,
                 **kwargs):
        if (benchmark is None) == (classnames is None):
            raise ValueError('give either benchmark (a known class-folder benchmark) or classnames (a list)')
        if benchmark is not None and benchmark not in _FOLDER_BENCHMARKS:
            raise KeyError(f'unknown class-folder benchmark {benchmark!r}; known: {sorted(_FOLDER_BENCHMARKS)}')
        self.benchmark = benchmark
        wnid_set, layout = _FOLDER_BENCHMARKS.get(benchmark, (None, '<data_root>/<class>/<image> ... (one folder '
                                                                    'per class name, sorted)'))
        names = benchmark_classnames(benchmark if benchmark is not None else classnames)
        what = benchmark if benchmark is not None else f'the {len(names)} classnames'
        _require(data_root, f'{benchmark or "class-folder"} folder', layout)
        folders = sorted(d for d in os.listdir(data_root) if osp.isdir(osp.join(data_root, d)))
        if wnid_set is not None:
            expected = sorted(imagenet_wnids()[wnid_set])
            missing, extra = sorted(set(expected) - set(folders)), sorted(set(folders) - set(expected))
            if missing or extra:
                raise ValueError(f'{data_root!r} is not a complete {benchmark} tree: missing class folders '
                                 f'{missing[:5]}{"..." if len(missing) > 5 else ""} ({len(missing)}), unexpected '
                                 f'{extra[:5]} ({len(extra)}); expected layout: {layout}')
        elif len(folders) != len(names):
            raise ValueError(f'{data_root!r} has {len(folders)} class folders ({folders[:5]}...), {what} name '
                             f'{len(names)} classes; expected layout: {layout}')
        super().__init__(data_root=data_root, metainfo=dict(classes=tuple(names)), with_label=True, **kwargs)


class _CIFARTest:
    """The CIFAR test pickles, without download; ``verify_md5`` checks them against the published sums."""
    layout = ''

    def __init__(self, data_root: str, verify_md5: bool = True, **kwargs):
        self.verify_md5 = verify_md5
        super().__init__(data_root=data_root, split='test', download=False, test_mode=True, **kwargs)

    def _check_integrity(self) -> bool:
        root = self.data_prefix['root']
        for name, md5 in self.test_list:
            path = _require(osp.join(root, self.base_folder, name), 'CIFAR pickle', self.layout)
            if self.verify_md5 and not check_md5(path, md5):
                raise ValueError(f'{path!r} does not have the published md5 {md5} (pass verify_md5=False to '
                                 'read a modified copy)')
        return True


@DATASETS.register_module()
class ZeroShotCIFAR10(_CIFARTest, CIFAR10):
    """CIFAR-10 test set (mmpretrain's reader): ``<data_root>/cifar-10-batches-py/test_batch``."""
    layout = 'cifar-10-python.tar.gz extracted: <data_root>/cifar-10-batches-py/test_batch'


@DATASETS.register_module()
class ZeroShotCIFAR100(_CIFARTest, CIFAR100):
    """CIFAR-100 test set (mmpretrain's reader): ``<data_root>/cifar-100-python/test``."""
    layout = 'cifar-100-python.tar.gz extracted: <data_root>/cifar-100-python/test'


@DATASETS.register_module()
class GTSRBTest(BaseDataset):
    """The official GTSRB test set: the 12630 ``.ppm`` images of ``GTSRB_Final_Test_Images.zip`` and the labels
    of ``GTSRB_Final_Test_GT.zip`` (whole images, no ROI crop, as torchvision / CLIP_benchmark read them).

    Layout: ``<data_root>/GT-final_test.csv`` (``Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId``) and
    ``<data_root>/GTSRB/Final_Test/Images/00000.ppm`` ...
    """
    layout = ('<data_root>/GT-final_test.csv (from GTSRB_Final_Test_GT.zip) and '
              '<data_root>/GTSRB/Final_Test/Images/*.ppm (from GTSRB_Final_Test_Images.zip)')
    image_dir = 'GTSRB/Final_Test/Images'

    def __init__(self, data_root: str, ann_file: str = 'GT-final_test.csv', **kwargs):
        super().__init__(data_root=data_root, ann_file=ann_file, data_prefix=dict(img_path=self.image_dir),
                         metainfo=dict(classes=tuple(benchmark_classnames('gtsrb'))), test_mode=True, **kwargs)

    def load_data_list(self) -> List[dict]:
        _require(self.ann_file, 'GTSRB ground truth', self.layout)
        image_dir = _require(self.data_prefix['img_path'], 'GTSRB image folder', self.layout)
        num_classes = len(self.metainfo['classes'])
        data_list = []
        with open(self.ann_file, newline='') as f:
            reader = csv.DictReader(f, delimiter=';')
            if reader.fieldnames is None or not {'Filename', 'ClassId'} <= set(reader.fieldnames):
                raise ValueError(f'{self.ann_file!r} has columns {reader.fieldnames}; expected '
                                 'Filename;...;ClassId (the GT csv, not the label-free GT-final_test.test.csv)')
            for row in reader:
                label = int(row['ClassId'])
                if not 0 <= label < num_classes:
                    raise ValueError(f'{self.ann_file!r}: ClassId {label} of {row["Filename"]} is not in '
                                     f'[0, {num_classes})')
                path = osp.join(image_dir, row['Filename'])
                data_list.append(dict(img_path=_require(path, 'GTSRB image', self.layout), gt_label=label))
        return data_list


@DATASETS.register_module()
class KarpathyRetrieval(Flickr30kRetrieval):
    """Image-text retrieval on a Karpathy split file (``dataset_coco.json`` / ``dataset_flickr30k.json``) with
    mmpretrain's Flickr30k reader; images are found under ``filepath/filename`` when the file has ``filepath``
    (COCO: ``val2014/COCO_val2014_*.jpg``), else ``filename`` (Flickr30k: ``flickr30k-images/*.jpg``)."""

    layout = ('<data_root>/<ann_file> (Karpathy\'s dataset_coco.json / dataset_flickr30k.json) and the images under '
              '<data_root>/<data_prefix>/<filepath>/<filename> (COCO: data_prefix "", filepath val2014 / '
              'train2014; Flickr30k: data_prefix "flickr30k-images")')

    def __init__(self, data_root: str, ann_file: str, data_prefix: str = '', split: str = 'test', **kwargs):
        _require(osp.join(data_root, ann_file), 'Karpathy split file', self.layout)
        super().__init__(data_root=data_root, data_prefix=data_prefix, ann_file=ann_file, split=split,
                         test_mode=True, **kwargs)

    def load_data_list(self) -> List[dict]:
        images = mmengine.load(self.ann_file).get('images')
        if not isinstance(images, list) or not images or not {'split', 'filename', 'sentences', 'imgid'} <= set(
                images[0]):
            raise ValueError(f'{self.ann_file!r} is not a Karpathy split file (images with split, filename, '
                             'imgid, sentences); expected layout: ' + self.layout)
        folders = {im['imgid']: im.get('filepath', '') for im in images if im['split'] == self.split}
        if not folders:
            raise ValueError(f'{self.ann_file!r} has no {self.split!r} images')
        uncaptioned = [f'{im["filename"]} (imgid {im["imgid"]})' for im in images
                       if im['split'] == self.split and not im['sentences']]
        if uncaptioned:  # image-to-text recall would count each as a miss
            raise ValueError(f'{self.ann_file!r}: {len(uncaptioned)} {self.split} image(s) without captions, e.g. '
                             f'{uncaptioned[0]}; every retrieval image needs its captions')
        data_list = super().load_data_list()
        prefix = self.data_prefix['img_path']
        for item in data_list:
            name = osp.basename(item['img_path'])
            item['img_path'] = osp.join(prefix, folders[item['ori_id']], name)
        missing = [item['img_path'] for item in data_list if not osp.isfile(item['img_path'])]
        if missing:
            raise FileNotFoundError(f'{len(missing)} of the {len(data_list)} {self.split} images of '
                                    f'{self.ann_file!r} do not exist, e.g. {missing[0]!r}; expected layout: '
                                    + self.layout)
        return data_list
