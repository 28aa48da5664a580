"""Every zero-shot config parses, names the paper's checkpoints and CLIP_benchmark's prompts, and its dataset
refuses a missing tree with the layout expected (nothing downloads)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from visft_mm.datasets.zero_shot_classes import classnames, templates
from visft_mm.registry import DATASETS

CONFIGS = sorted(glob.glob(osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'zero_shot', 'eva_*.py')))
CHECKPOINTS = {'eva-e': 'EVA02_CLIP_E_psz14_plus_s9B.pt', 'eva-g': 'EVA01_CLIP_g_14_psz14_s11B.pt'}
TEXT_MODELS = {'eva-e': 'EVA02-E-14-plus', 'eva-g': 'EVA01-g-14'}


def test_every_benchmark_has_an_e_and_a_g_config():
    names = {osp.basename(p)[6:-3] for p in CONFIGS}
    assert names == {'imagenet1k', 'imagenet_a', 'imagenet_r', 'imagenet_sketch', 'eurosat', 'cifar10', 'cifar100',
                     'gtsrb', 'caltech101', 'retrieval_coco', 'retrieval_flickr30k'}
    assert len(CONFIGS) == 22


@pytest.mark.parametrize('path', CONFIGS, ids=[osp.basename(p)[:-3] for p in CONFIGS])
def test_config(path, tmp_path):
    cfg = Config.fromfile(path)
    model = cfg.model
    arch = model.backbone.arch
    assert model.backbone.out_type == 'cls_token' and model.backbone.frozen
    assert model.backbone.init_cfg.type == 'EVAPretrained' and model.backbone.init_cfg.lora is None
    assert osp.basename(model.backbone.init_cfg.checkpoint) == CHECKPOINTS[arch] and 'clip_checkpoint' not in model
    assert model.text_model == TEXT_MODELS[arch]
    dataset = cfg.test_dataloader.dataset
    if 'retrieval' in path:
        assert cfg.test_cfg.type == 'mmpretrain.RetrievalTestLoop' and 'prompts' not in model
    else:
        assert len(classnames(model.prompts.classnames)) and len(templates(model.prompts.templates))
        if 'benchmark' in dataset:
            assert dataset.benchmark == model.prompts.classnames == model.prompts.templates
        assert model.data_preprocessor.to_rgb == ('cifar' not in path)  # CIFAR arrays are RGB already
    key = osp.basename(path)[6:-3].replace('retrieval_', '')  # imagenet_a, ...: as the config and suite names
    evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [cfg.test_evaluator]
    assert all(e.prefix.startswith(key + '/') for e in evaluators)  # stable per-benchmark metric keys
    missing = dict(dataset, data_root=str(tmp_path / 'absent'))
    with pytest.raises(FileNotFoundError, match='expected layout'):
        DATASETS.build(missing)


# the suite's benchmark names -> our configs (see the comments of the table files)
SUITE = {f'zero_shot_{n}': f'eva_e_{n}.py' for n in ('imagenet1k', 'imagenet_a', 'imagenet_r', 'imagenet_sketch',
                                                    'eurosat', 'cifar10', 'cifar100', 'gtsrb', 'caltech101')}
SUITE.update(retrieval_coco='eva_e_retrieval_coco.py', retrieval_flickr30k='eva_e_retrieval_flickr30k.py')


@pytest.mark.parametrize('table', ['table5_zero_shot', 'table6_retrieval'])
def test_paper_tables_name_keys_the_configs_print(table):
    from visft_mm.benchmarks.tables import load_table
    root = osp.join(osp.dirname(__file__), '..', '..', '..')
    data = load_table(osp.join(root, 'configs', 'benchmarks', 'paper', f'{table}.py'))
    for column in data.columns:
        cfg = Config.fromfile(osp.join(root, 'configs', 'zero_shot', SUITE[column.benchmark]))
        evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [cfg.test_evaluator]
        metric = column.metric.split('/', 1)[1] if column.metric.startswith(('i2t/', 't2i/')) else column.metric
        assert metric.rsplit('/', 1)[0] in {e.prefix for e in evaluators}, column
    titles = {c.title for c in data.columns}
    assert all(set(values) == titles for rows in data.paper.values() for values in rows.values())


@pytest.mark.parametrize('source', ['file', 'cifar_array'])
def test_preprocessing_equals_open_clips_eval_transform(source, tmp_path):
    """Short side to 224 (bicubic, antialiased), centre crop, CLIP statistics: the pipeline + data preprocessor
    of our configs give open_clip's ``image_transform(224, is_train=False)`` tensors (CIFAR: RGB arrays)."""
    import cv2
    import numpy as np
    from mmengine.dataset import Compose
    from open_clip.transform import image_transform
    from PIL import Image

    from visft_mm.registry import MODELS, TRANSFORMS
    name = 'eva_e_imagenet1k.py' if source == 'file' else 'eva_e_cifar10.py'
    cfg = Config.fromfile(osp.join(osp.dirname(CONFIGS[0]), name))
    pipeline = Compose([TRANSFORMS.build(t) for t in cfg.test_dataloader.dataset.pipeline])
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    reference = image_transform(224, is_train=False)
    rng = np.random.RandomState(0)
    for size in [(500, 375), (333, 500), (97, 131)] if source == 'file' else [(32, 32)]:
        rgb = cv2.GaussianBlur((rng.rand(size[1], size[0], 3) * 255).astype(np.uint8), (0, 0), 2)
        Image.fromarray(rgb).save(tmp_path / 'image.png')
        packed = pipeline(dict(img_path=str(tmp_path / 'image.png')) if source == 'file' else dict(img=rgb))
        ours = preprocessor(dict(inputs=[packed['inputs']], data_samples=[packed['data_samples']]))['inputs'][0]
        expected = reference(Image.open(tmp_path / 'image.png'))
        torch.testing.assert_close(ours, expected, atol=1e-5, rtol=0)
