"""The whole path in mmengine's test loops: readers -> EVA-CLIP preprocessing -> ZeroShotCLIP -> mmpretrain's
metrics, on the tiny configs; retrieval recall against a brute-force computation."""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import Runner
from mmpretrain.structures import DataSample

from visft_mm.registry import METRICS
from visft_mm.testing.synthetic_clip import SHAPE_CLASSES, write_shape_folders, write_shape_retrieval

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'zero_shot')


def _runner(name, checkpoint, data_root, work_dir, init_cfg):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.model.backbone.init_cfg = init_cfg(checkpoint)
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.work_dir = work_dir
    cfg.default_hooks.logger.interval = 1000
    return Runner.from_cfg(cfg)


def _embed_dataset(model, dataloader):
    """(image embeddings, data samples) of a whole test set, by the model's own image path."""
    feats, samples = [], []
    with torch.no_grad():
        for batch in dataloader:
            data = model.data_preprocessor(batch, False)
            feats.append(model.encode_image(data['inputs']))
            samples.extend(data['data_samples'])
    return torch.cat(feats), samples


def test_classification_scores_through_the_test_loop(tiny_clip_files, backbone_init_cfg, tmp_path):
    """With class embeddings equal to each class's image embedding (a text tower that matches the images),
    the test loop scores 100 %; shifted by one class, 0 %: labels, preprocessing and metrics line up."""
    _, paths = tiny_clip_files[False]
    data_root = write_shape_folders(str(tmp_path / 'shapes'), images_per_class=3, image_size=64, jitter=False)
    runner = _runner('tiny_synthetic_shapes.py', paths['eva_clip'], data_root, str(tmp_path / 'work'),
                     backbone_init_cfg)
    model = runner.model
    model.init_weights()
    model.eval()
    images, samples = _embed_dataset(model, runner.test_dataloader)
    labels = torch.tensor([int(s.gt_label) for s in samples])
    assert sorted(set(labels.tolist())) == list(range(len(SHAPE_CLASSES)))
    per_class = F.normalize(torch.stack([images[labels == c].mean(0) for c in range(len(SHAPE_CLASSES))]), dim=-1)

    model._class_embeddings = per_class  # stand-in for a text tower whose prompts embed like the images
    metrics = runner.test()
    assert metrics['accuracy/top1'] == 100.0 and metrics['single-label/recall'] == 100.0
    model._class_embeddings = per_class.roll(1, dims=0)
    assert runner.test()['accuracy/top1'] == 0.0


def _brute_force_recall(sim, gt_sets, ks=(1, 5, 10)):
    order = np.argsort(-sim, axis=1)
    ranks = [min(int(np.where(row == g)[0][0]) for g in gts) for row, gts in zip(order, gt_sets)]
    return {k: 100.0 * np.mean([r < k for r in ranks]) for k in ks}


def _recall(samples):
    metric = METRICS.build(dict(type='mmpretrain.RetrievalRecall', topk=(1, 5, 10)))
    metric.process(None, [s.to_dict() for s in samples])  # as mmengine's Evaluator passes them
    return metric.compute_metrics(metric.results)


def test_retrieval_recall_matches_brute_force(tiny_zero_shot):
    rng = torch.Generator().manual_seed(0)
    captions = [5, 6, 5, 7, 5, 5, 5, 5, 6, 5, 5, 5]  # COCO images have 5 to 7 captions
    images = F.normalize(torch.randn(len(captions), 16, generator=rng), dim=-1)
    texts = F.normalize(torch.randn(sum(captions), 16, generator=rng), dim=-1)
    texts[:5] = images[0]  # a few exact matches so that the recalls are not all near chance
    samples, text_of_image, start = [], [], 0
    for i, n in enumerate(captions):
        ids = list(range(start, start + n))
        samples.append(DataSample(text=[f't{j}' for j in ids], gt_text_id=ids, gt_image_id=[i] * n, image_id=i))
        text_of_image += [i] * n
        start += n
    order = torch.randperm(len(captions), generator=rng)  # features arrive in any order: placed by their ids
    text_order = torch.cat([torch.tensor(samples[i].gt_text_id) for i in order])
    feats = dict(image_feat=images[order], image_id=order, text_feat=texts[text_order], text_id=text_order)
    i2t, t2i = tiny_zero_shot.predict_all(feats, [samples[i] for i in order], len(captions), len(texts))

    sim = (images @ texts.t()).numpy()
    expected_i2t = _brute_force_recall(sim[order.numpy()], [samples[i].gt_text_id for i in order])
    expected_t2i = _brute_force_recall(sim.T[text_order.numpy()], [[text_of_image[t]] for t in text_order])
    got_i2t, got_t2i = _recall(i2t), _recall(t2i)
    for k in (1, 5, 10):
        assert got_i2t[f'Recall@{k}'] == pytest.approx(expected_i2t[k])
        assert got_t2i[f'Recall@{k}'] == pytest.approx(expected_t2i[k])
    assert 0 < expected_i2t[1] < 100 and expected_t2i[10] > expected_t2i[1]


def test_retrieval_through_the_test_loop(tiny_clip_files, backbone_init_cfg, tmp_path):
    """mmpretrain's RetrievalTestLoop on a Flickr30k-layout tree gives the recalls of the model's own
    embeddings computed by brute force."""
    _, paths = tiny_clip_files[False]
    root = tmp_path / 'retrieval'
    write_shape_retrieval(str(root), num_images=12, image_size=64)
    runner = _runner('tiny_synthetic_retrieval.py', paths['eva_clip'], str(root), str(tmp_path / 'work'),
                     backbone_init_cfg)
    metrics = runner.test()
    assert set(metrics) == {f'{d}/retrieval/Recall@{k}' for d in ('i2t', 't2i') for k in (1, 5, 10)}

    model = runner.model
    images, samples = _embed_dataset(model, runner.test_dataloader)
    with torch.no_grad():
        texts = model.encode_text([t for s in samples for t in s.text])
    sim = (images @ texts.t()).numpy()
    i2t = _brute_force_recall(sim, [s.gt_text_id for s in samples])
    t2i = _brute_force_recall(sim.T, [[int(s.image_id)] for s in samples for _ in s.text])
    for k in (1, 5, 10):
        assert metrics[f'i2t/retrieval/Recall@{k}'] == pytest.approx(i2t[k], abs=1e-4)
        assert metrics[f't2i/retrieval/Recall@{k}'] == pytest.approx(t2i[k], abs=1e-4)
