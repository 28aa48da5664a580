"""Per-set word accuracy plus the word-count-weighted and plain averages."""
import pytest
from mmengine.structures import LabelData
from mmocr.structures import TextRecogDataSample


def sample(gt, pred):
    data_sample = TextRecogDataSample()
    data_sample.gt_text = LabelData(item=gt)
    data_sample.pred_text = LabelData(item=pred)
    return data_sample


def build(averages):
    from visft_mm.registry import EVALUATOR
    return EVALUATOR.build(dict(
        type='MultiDatasetsAverageEvaluator',
        metrics=dict(type='mmocr.WordMetric', mode=['exact', 'ignore_case_symbol']),
        dataset_prefixes=['IIIT5k_3000', 'SVT', 'CUTE80'], averages=averages))


def test_weighted_and_plain_averages():
    evaluator = build(dict(total=dict(weighted=True), paper2=dict(datasets=['IIIT5k_3000', 'SVT'])))
    evaluator.dataset_meta = dict(cumulative_sizes=[4, 5, 7])
    # IIIT: 3 of 4 right (one only up to case/symbols); SVT: 0 of 1; CUTE: 2 of 2
    samples = [sample('Hello', 'Hello'), sample('World', 'world!'), sample('abc', 'abc'), sample('x', 'y'),
               sample('svt', 'svx'), sample('cute', 'cute'), sample('80', '80')]
    evaluator.process(samples)
    metrics = evaluator.evaluate(7)
    key = 'recog/word_acc_ignore_case_symbol'
    assert metrics[f'IIIT5k_3000/{key}'] == pytest.approx(0.75)
    assert metrics[f'SVT/{key}'] == pytest.approx(0.0)
    assert metrics[f'CUTE80/{key}'] == pytest.approx(1.0)
    assert metrics[f'total/{key}'] == pytest.approx(5 / 7)  # all correct words / all words
    assert metrics[f'paper2/{key}'] == pytest.approx((0.75 + 0.0) / 2)
    assert metrics['IIIT5k_3000/recog/word_acc'] == pytest.approx(0.5)
    assert metrics['total/recog/word_acc'] == pytest.approx(4 / 7)


def test_average_of_unknown_dataset_is_an_error():
    with pytest.raises(ValueError, match=r"\['IC13_857'\]"):
        build(dict(paper=dict(datasets=['IIIT5k_3000', 'IC13_857'])))
