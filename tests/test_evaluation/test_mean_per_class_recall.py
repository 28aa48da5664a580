"""Mean per-class recall as CLIP_benchmark reports it (sklearn's balanced accuracy), with a class without images."""
import pytest
import torch

from visft_mm.evaluation.mean_per_class_recall import MeanPerClassRecall, mean_per_class_recall


def _samples(pred, gt, num_classes=3):
    return [dict(pred_score=torch.nn.functional.one_hot(torch.tensor(p), num_classes).float(),
                 gt_label=torch.tensor([g])) for p, g in zip(pred, gt)]


@pytest.mark.parametrize('pred, gt, expected', [
    # 3 classes, class 2 has no test images: (1 + 1/2) / 2 over the classes with images (mmpretrain: / 3 -> 50)
    ([0, 1, 0], [0, 1, 1], 75.0),
    # class 2 only predicted, never a target: left out as sklearn does (mmpretrain: (1 + 0 + 0) / 3)
    ([0, 2], [0, 1], 50.0),
    ([0, 0, 1], [0, 0, 1], 100.0),  # mmpretrain over 3 classes: 66.7
    ([1, 1, 1, 1], [0, 0, 0, 1], 50.0),  # (0 + 1) / 2, where plain accuracy is 25
    ([0, 0, 0, 1], [0, 0, 0, 1], 100.0),
])
def test_hand_cases(pred, gt, expected):
    metric = MeanPerClassRecall(prefix='cifar10/single-label')
    metric.process(None, _samples(pred, gt))
    assert metric.evaluate(len(gt)) == {'cifar10/single-label/recall': pytest.approx(expected)}


def test_against_sklearn_and_mmpretrain():
    sklearn = pytest.importorskip('sklearn.metrics')
    from mmpretrain.evaluation import SingleLabelMetric
    g = torch.Generator().manual_seed(0)
    gt = torch.randint(0, 6, (60, ), generator=g)
    gt[gt == 4] = 5  # class 4 has no test images
    pred = torch.where(torch.rand(60, generator=g) < 0.6, gt, torch.randint(0, 7, (60, ), generator=g))
    ours = mean_per_class_recall(pred, gt)
    with pytest.warns(UserWarning):  # sklearn warns about predicted classes without targets
        assert ours == pytest.approx(sklearn.balanced_accuracy_score(gt.numpy(), pred.numpy()))
    mmpretrain_macro = SingleLabelMetric.calculate(pred, gt, num_classes=7, average='macro')[1]
    assert float(mmpretrain_macro) < 100 * ours  # two empty classes count as 0 there


def test_bad_input():
    with pytest.raises(ValueError, match='as many'):
        mean_per_class_recall(torch.tensor([0, 1]), torch.tensor([0]))


def test_zero_shot_configs_report_clip_benchmarks_mean_recall():
    import glob
    import os.path as osp

    from mmengine.config import Config
    root = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'zero_shot')
    configs = [c for c in sorted(glob.glob(osp.join(root, '*.py'))) if 'retrieval' not in c]
    assert len(configs) >= 19
    for config in configs:
        evaluators = Config.fromfile(config).test_evaluator
        types = [e['type'] for e in evaluators]
        assert 'MeanPerClassRecall' in types and 'mmpretrain.SingleLabelMetric' not in types, config
