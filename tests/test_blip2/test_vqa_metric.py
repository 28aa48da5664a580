"""The VQA metric against the official formula, worked out by hand."""
import json

import pytest

from visft_mm.evaluation.vqa_metric import GQAExactMatch, VQAOfficialAccuracy, normalize_answer, \
    official_vqa_accuracy


@pytest.mark.parametrize('prediction, answers, expected', [
    ('dog', ['dog'] * 10, 1.0),
    ('dog', ['dog'] + ['cat'] * 9, 0.3),  # 9 subsets keep the match: 9 * 1/3 / 10
    ('dog', ['dog'] * 2 + ['cat'] * 8, 0.6),  # 8 * 2/3 + 2 * 1/3
    ('dog', ['dog'] * 3 + ['cat'] * 7, 0.9),  # 7 * 1 + 3 * 2/3 (mmpretrain's VQAAcc: 1.0)
    ('dog', ['dog'] * 4 + ['cat'] * 6, 1.0),
    ('bird', ['dog'] * 4 + ['cat'] * 6, 0.0),
])
def test_leave_one_out_average(prediction, answers, expected):
    assert official_vqa_accuracy(prediction, answers) == pytest.approx(expected)


@pytest.mark.parametrize('prediction, answer', [
    ('Two', '2'),  # number words -> digits, lower case
    ('the dog', 'dog'),  # articles
    ('a dog.', 'dog'),  # period stripped
    ('dont', "don't"),  # contractions
    ('yes!', 'yes'),  # punctuation next to nothing -> removed
    ('t-shirt', 't shirt'),  # punctuation inside a word -> space
    ('1,000', '1000'),  # comma between digits
    ('  red\n', 'red'),
])
def test_normalisation_cases(prediction, answer):
    answers = [answer] * 4 + ['something else'] * 6  # the answers disagree, so both sides are normalised
    assert official_vqa_accuracy(prediction, answers) == pytest.approx(1.0)
    assert normalize_answer(prediction.strip()) == normalize_answer(answer)


def test_unanimous_answers_are_not_normalised():
    # official quirk: with 10 identical answers nothing is normalised, so "two" does not match "2"
    assert official_vqa_accuracy('two', ['2'] * 10) == 0.0
    assert official_vqa_accuracy('two', ['2'] * 9 + ['3']) == pytest.approx(1.0)


def test_metric_reads_official_annotations(tmp_path):
    answers = {1: ['2'] * 6 + ['two'] * 2 + ['3'] * 2, 2: ['red'] * 3 + ['dark red'] * 7, 3: ['yes'] * 10}
    types = {1: 'number', 2: 'other', 3: 'yes/no'}
    ann_file = tmp_path / 'ann.json'
    ann_file.write_text(json.dumps(dict(annotations=[
        dict(question_id=q, answer_type=types[q], answers=[dict(answer=a, answer_id=i) for i, a in enumerate(v)])
        for q, v in answers.items()])))
    metric = VQAOfficialAccuracy(ann_file=str(ann_file), outfile=str(tmp_path / 'results.json'))
    metric.process(None, [dict(question_id=1, pred_answer='Two'), dict(question_id=2, pred_answer='red'),
                          dict(question_id=3, pred_answer='no')])
    scores = metric.evaluate(3)
    # q1: 8 matches after normalisation -> 1.0; q2: 3 matches -> 0.9; q3: 0
    assert scores['VQA/acc'] == pytest.approx(100 * 1.9 / 3)
    assert scores['VQA/number_acc'] == pytest.approx(100.0)
    assert scores['VQA/other_acc'] == pytest.approx(90.0)
    assert scores['VQA/yes_no_acc'] == 0.0
    assert json.loads((tmp_path / 'results.json').read_text())[0] == dict(question_id=1, answer='Two')

    metric.process(None, [dict(question_id=99, pred_answer='x')])
    with pytest.raises(KeyError, match='99'):
        metric.evaluate(1)


def test_gqa_exact_match_normalises_the_prediction_only():
    metric = GQAExactMatch()
    metric.process(None, [dict(pred_answer='The table.', gt_answer='table'), dict(pred_answer='Two', gt_answer='2'),
                          dict(pred_answer='chair', gt_answer='table'), dict(pred_answer='no', gt_answer='no')])
    assert metric.evaluate(4) == {'GQA/acc': 75.0}
