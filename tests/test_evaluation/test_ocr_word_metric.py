"""The OCR probe's evaluator compares words as ViTSTR's test.py does: lower case, then [0-9a-z] only."""
import os.path as osp
import re

import pytest

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs')


def _vitstr_equal(pred: str, gt: str) -> bool:
    # ViTSTR test.py with --sensitive --data_filtering_off, written out from its rule
    def keep(s):
        return re.sub('[^0123456789abcdefghijklmnopqrstuvwxyz]', '', s.lower())
    return keep(pred) == keep(gt)


def _word_metrics(config):
    from mmengine.config import Config
    from mmengine.registry import METRICS
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    evaluators = [cfg.test_evaluator.metrics[0]] + ([cfg.val_evaluator] if 'val_evaluator' in cfg else [])
    return [METRICS.build(dict(e)) for e in evaluators]


def _sample(pred, gt):
    return dict(pred_text=dict(item=pred), gt_text=dict(item=gt))


@pytest.mark.parametrize('config', ['probes/ocr/vitstr_eva_g.py', 'probes/ocr/vitstr_tiny_synthetic.py'])
def test_symbols_outside_lowercase_alphanumerics_are_dropped(config):
    # (prediction, label, ViTSTR counts it correct): '^' and a CJK character are not alphanumerics in ViTSTR, so
    # 'Hello^' / 'hello中' read as 'hello'; mmocr's default valid_symbol keeps both and scores these wrong
    cases = [('Hello^', 'hello', True), ('hello中', 'HELLO', True), ('ca^t', 'cat!', True), ('中', '', True),
             ('hell0', 'hello', False), ('abc', 'abd', False)]
    assert [_vitstr_equal(p, g) for p, g, _ in cases] == [c for _, _, c in cases]
    for metric in _word_metrics(config):
        metric.process(None, [_sample(p, g) for p, g, _ in cases])
        scores = metric.evaluate(len(cases))
        assert scores['recog/word_acc_ignore_case_symbol'] == pytest.approx(4 / 6, abs=1e-4)
        assert scores['recog/word_acc_ignore_case'] == 0.0  # case folded only: none of these match


def test_mmocr_default_keeps_caret_and_cjk():
    # what the evaluator did before: the same cases under mmocr's default valid_symbol
    from mmocr.evaluation import WordMetric
    metric = WordMetric(mode='ignore_case_symbol')
    metric.process(None, [_sample('Hello^', 'hello'), _sample('hello中', 'HELLO')])
    assert metric.evaluate(2)['recog/word_acc_ignore_case_symbol'] == 0.0
