"""The VQA metric against the two versions of the official vqaEval.py, worked out by hand from their rules."""
import json

import pytest

from visft_mm.evaluation.answer_lemmatizer import lemmatize_answer
from visft_mm.evaluation.vqa_metric import GQAExactMatch, VQAOfficialAccuracy, normalize_answer, \
    official_vqa_accuracy, vqa_accuracy

PROTOCOLS = ('official-2021', 'lavis')


@pytest.mark.parametrize('protocol', PROTOCOLS)
@pytest.mark.parametrize('prediction, answers, expected', [
    ('dog', ['dog'] * 10, 1.0),
    ('dog', ['dog'] + ['cat'] * 9, 0.3),  # 9 subsets keep the match: 9 * 1/3 / 10
    ('dog', ['dog'] * 2 + ['cat'] * 8, 0.6),  # 8 * 2/3 + 2 * 1/3
    ('dog', ['dog'] * 3 + ['cat'] * 7, 0.9),  # 7 * 1 + 3 * 2/3 (mmpretrain's VQAAcc: 1.0)
    ('dog', ['dog'] * 4 + ['cat'] * 6, 1.0),
    ('bird', ['dog'] * 4 + ['cat'] * 6, 0.0),
])
def test_leave_one_out_average(protocol, prediction, answers, expected):
    assert vqa_accuracy(prediction, answers, protocol) == pytest.approx(expected)


@pytest.mark.parametrize('prediction, answers, official_2021, lavis', [
    # the case: 2021 normalises the answers too ('two' -> '2': 6 matches); pre-2021 gives the answers the
    # punctuation step only, so the normalised prediction '2' meets the two '2's: 2 * 1/3 + 8 * 2/3 over 10
    ('two', ['two'] * 4 + ['2'] * 2 + ['3'] * 4, 1.0, 0.6),
    # unanimous answers: 2021 compares the prediction as it is, pre-2021 normalises the prediction anyway
    ('Yes', ['yes'] * 10, 0.0, 1.0),
    ('yes.', ['yes'] * 10, 0.0, 1.0),
    ('yes', ['yes'] * 10, 1.0, 1.0),
    ('two', ['2'] * 10, 0.0, 1.0),
    ('2', ['two'] * 10, 0.0, 0.0),  # pre-2021 never maps the answers' number words
    # not unanimous: pre-2021 keeps the answers' case and articles
    ('Red', ['Red'] * 4 + ['blue'] * 6, 1.0, 0.0),
    ('the dog', ['the dog'] * 4 + ['cat'] * 6, 1.0, 0.0),
    ('dog', ['a dog'] * 4 + ['cat'] * 6, 1.0, 0.0),
    # ... but gives them the punctuation step: 't-shirt' -> 't shirt' on both sides
    ('t-shirt', ['t-shirt'] * 4 + ['shirt'] * 6, 1.0, 1.0),
    # only 2021 strips the answers: ' dog' never equals the stripped prediction before 2021
    ('dog', [' dog'] * 10, 1.0, 0.0),
])
def test_protocols_differ_as_the_scripts_do(prediction, answers, official_2021, lavis):
    assert vqa_accuracy(prediction, answers, 'official-2021') == pytest.approx(official_2021)
    assert vqa_accuracy(prediction, answers, 'lavis') == pytest.approx(lavis)
    assert official_vqa_accuracy(prediction, answers) == pytest.approx(official_2021)


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
    assert vqa_accuracy(prediction, answers, 'official-2021') == pytest.approx(1.0)
    assert vqa_accuracy(prediction, answers, 'lavis') == pytest.approx(1.0)  # these answers are already normal
    assert normalize_answer(prediction.strip()) == normalize_answer(answer)


def test_leaving_out_drops_equal_records():
    # the scripts leave out every answer dict equal to the held-out one; with distinct answer_ids that is one
    with_ids = [dict(answer='dog', answer_id=i) for i in range(3)] + [dict(answer='cat', answer_id=i)
                                                                      for i in range(3, 10)]
    assert vqa_accuracy('dog', with_ids) == pytest.approx(0.9)
    # without ids the three 'dog' records are equal: leaving one out leaves no match
    without_ids = [dict(answer='dog')] * 3 + [dict(answer='cat')] * 7
    assert vqa_accuracy('dog', without_ids) == pytest.approx(0.7)


def test_unknown_protocol():
    with pytest.raises(KeyError, match='official-2021'):
        vqa_accuracy('dog', ['dog'], 'vqa-v3')
    with pytest.raises(KeyError, match='lavis'):
        VQAOfficialAccuracy(ann_file='x.json', protocol='LAVIS')


def _write_annotations(path, answers, types):
    path.write_text(json.dumps(dict(annotations=[
        dict(question_id=q, answer_type=types[q], answers=[dict(answer=a, answer_id=i + 1) for i, a in enumerate(v)])
        for q, v in answers.items()])))
    return str(path)


@pytest.mark.parametrize('protocol, expected', [
    # q1: 2021 normalises 'two' -> 8 matches: 1.0; pre-2021: the 6 '2's: 1.0 | q2: 3 matches: 0.9 | q3: 0
    # q4 ('Yes' vs ten 'yes'): 0 in 2021, 1 before
    ('official-2021', dict(acc=100 * 1.9 / 4, number_acc=100.0, other_acc=90.0, yes_no_acc=0.0)),
    ('lavis', dict(acc=100 * 2.9 / 4, number_acc=100.0, other_acc=90.0, yes_no_acc=50.0)),
])
def test_metric_reads_official_annotations(tmp_path, protocol, expected):
    answers = {1: ['2'] * 6 + ['two'] * 2 + ['3'] * 2, 2: ['red'] * 3 + ['dark red'] * 7, 3: ['yes'] * 10,
               4: ['yes'] * 10}
    types = {1: 'number', 2: 'other', 3: 'yes/no', 4: 'yes/no'}
    ann_file = _write_annotations(tmp_path / 'ann.json', answers, types)
    metric = VQAOfficialAccuracy(ann_file=ann_file, protocol=protocol, outfile=str(tmp_path / 'results.json'))
    metric.process(None, [dict(question_id=1, pred_answer='Two'), dict(question_id=2, pred_answer='red'),
                          dict(question_id=3, pred_answer='no'), dict(question_id=4, pred_answer='Yes')])
    scores = metric.evaluate(4)
    assert scores == pytest.approx({f'VQA/{k}': v for k, v in expected.items()})
    assert json.loads((tmp_path / 'results.json').read_text())[0] == dict(question_id=1, answer='Two')

    metric.process(None, [dict(question_id=99, pred_answer='x')])
    with pytest.raises(KeyError, match='99'):
        metric.evaluate(1)


@pytest.mark.parametrize('answer, lemma', [
    ('dogs', 'dog'), ('children', 'child'), ('skiing', 'ski'), ('two dogs.', 'two dog.'), ('is', 'is'),
    ('red', 'red'), ('t-shirts', 't-shirts'), ('42', '42')])
def test_lemmatiser_hand_cases(answer, lemma):
    assert lemmatize_answer(answer) == lemma


def test_okvqa_lemmatised_predictions(tmp_path):
    # OK-VQA's answer field is lemmatised ('dog'); LAVIS lemmatises the prediction 'dogs' to meet it
    ann_file = _write_annotations(tmp_path / 'ann.json', {1: ['dog'] * 6 + ['puppy'] * 4}, {1: 'other'})
    plain = VQAOfficialAccuracy(ann_file=ann_file, protocol='lavis')
    lemmatised = VQAOfficialAccuracy(ann_file=ann_file, protocol='lavis', lemmatize_predictions=True)
    for metric in (plain, lemmatised):
        metric.process(None, [dict(question_id=1, pred_answer='Dogs')])
    assert plain.evaluate(1) == {'VQA/acc': 0.0, 'VQA/other_acc': 0.0}
    assert lemmatised.evaluate(1) == {'VQA/acc': 100.0, 'VQA/other_acc': 100.0}


def test_gqa_exact_match_normalises_the_prediction_only():
    metric = GQAExactMatch()
    metric.process(None, [dict(pred_answer='The table.', gt_answer='table'), dict(pred_answer='Two', gt_answer='2'),
                          dict(pred_answer='chair', gt_answer='table'), dict(pred_answer='no', gt_answer='no')])
    assert metric.evaluate(4) == {'GQA/acc': 75.0}


@pytest.mark.parametrize('config, lemmatised', [('vqav2_opt2.7b.py', False), ('vqav2_opt6.7b.py', False),
                                                ('okvqa_opt2.7b.py', True), ('okvqa_opt6.7b.py', True)])
def test_table7_configs_score_as_lavis(config, lemmatised):
    import os.path as osp

    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(osp.dirname(__file__), '..', '..', 'configs', 'blip2', config))
    metric = cfg.test_evaluator
    assert metric.type == 'VQAOfficialAccuracy' and metric.protocol == 'lavis'
    assert metric.get('lemmatize_predictions', False) == lemmatised
