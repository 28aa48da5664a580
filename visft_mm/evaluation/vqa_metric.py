"""VQA accuracy as the two versions of the official VQA evaluation script compute it, and GQA exact match as
LAVIS computes it.

The official script is ``PythonEvaluationTools/vqaEvaluation/vqaEval.py`` of GT-Vision-Lab/VQA.  Two versions
are in use and score differently, so a metric names the one it reproduces (``protocol``):

``'official-2021'``: the script since commit a013f00 (2021-03-11, "Fixed processing answers bug", the current
    master).  Prediction and human answers are stripped; both are normalised (punctuation, lower case, number
    words -> digits, articles, contractions) only when the 10 human answers are not all the same string, else the
    prediction must equal them as it is ('Yes' vs ten 'yes': 0).
``'lavis'``: the script before that commit (458a8b2, 2016-10-08), which LAVIS ships as
    ``lavis/common/vqa_tools/vqa_eval.py`` and used for the BLIP-2 VQAv2 / OK-VQA numbers.  The prediction is
    always normalised; the human answers only get the punctuation step (no lower case, no digits, no articles)
    and only when they are not unanimous ('two' vs 4x 'two' + 2x '2' + 4x '3': 0.6, 1.0 in 'official-2021').

Both score ``min(1, #matches / 3)`` averaged over leaving each human answer out.  The scripts leave out every
answer record *equal* to the held-out one (the whole dict), which is one record when the records carry distinct
``answer_id`` as the official files do; :func:`vqa_accuracy` does the same when given the records.

mmpretrain's ``VQAAcc`` reuses the same normalisation (its ``_process_punctuation`` / ``_process_digit_article``
are the official ones and are reused here) but scores ``min(1, #matches / 3)`` over all 10 answers without the
leave-one-out average (1 match: 0.333 instead of 0.3; 3 matches: 1.0 instead of 0.9) and always normalises both
sides; its datasets also fold the answers into unique answers with weights, so :class:`VQAOfficialAccuracy`
reads the answers from the official annotation file by ``question_id``.
"""
import json
import os.path as osp
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from visft_mm.private_apis import vqa_answer_normalizers
from visft_mm.registry import METRICS
from .answer_lemmatizer import lemmatize_answer

_process_punctuation, _process_digit_article = vqa_answer_normalizers()


def _clean(answer: str) -> str:
    return answer.replace('\n', ' ').replace('\t', ' ').strip()


def normalize_answer(answer: str) -> str:
    """The official answer normalisation: punctuation, number words -> digits, articles dropped, contractions."""
    return _process_digit_article(_process_punctuation(answer))


def _official_2021(prediction: str, answers: List[str]) -> Tuple[str, List[str]]:
    answers = [_clean(a) for a in answers]
    prediction = _clean(prediction)
    if len(set(answers)) > 1:
        return normalize_answer(prediction), [normalize_answer(a) for a in answers]
    return prediction, answers


def _lavis(prediction: str, answers: List[str]) -> Tuple[str, List[str]]:
    prediction = normalize_answer(_clean(prediction))
    if len(set(answers)) > 1:
        return prediction, [_process_punctuation(a) for a in answers]
    return prediction, answers


# protocol name -> (prediction, raw human answers) -> what the script compares
VQA_PROTOCOLS: Dict[str, Callable[[str, List[str]], Tuple[str, List[str]]]] = {
    'official-2021': _official_2021,
    'lavis': _lavis,
}


def vqa_accuracy(prediction: str, human_answers: Sequence[Union[str, dict]],
                 protocol: str = 'official-2021') -> float:
    """One question's accuracy in [0, 1] under ``protocol`` (see the module docstring).

    ``human_answers`` are strings (each one record) or the annotation's answer dicts (``answer`` plus e.g.
    ``answer_id``): leaving one out drops every record equal to it, as the scripts do.
    """
    if protocol not in VQA_PROTOCOLS:
        raise KeyError(f'unknown VQA protocol {protocol!r}; known: {sorted(VQA_PROTOCOLS)}')
    records = [a if isinstance(a, dict) else dict(answer=a, answer_id=i) for i, a in enumerate(human_answers)]
    prediction, answers = VQA_PROTOCOLS[protocol](prediction, [r['answer'] for r in records])
    records = [dict(r, answer=a) for r, a in zip(records, answers)]
    accs = []
    for held_out in records:
        matches = sum(r != held_out and r['answer'] == prediction for r in records)
        accs.append(min(1.0, matches / 3))
    return sum(accs) / len(accs)


def official_vqa_accuracy(prediction: str, human_answers: Sequence[Union[str, dict]]) -> float:
    """:func:`vqa_accuracy` under the current official script (``'official-2021'``)."""
    return vqa_accuracy(prediction, human_answers, 'official-2021')


def read_vqa_annotations(ann_file: str) -> Dict[int, dict]:
    """``{question_id: annotation}`` of an official VQA annotation file (VQAv2 / OK-VQA ``*_annotations.json``)."""
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'VQA annotation file {ann_file!r} does not exist')
    with open(ann_file) as f:
        data = json.load(f)
    if not isinstance(data, dict) or 'annotations' not in data:
        raise ValueError(f'{ann_file}: not an official VQA annotation file (no "annotations" list)')
    annotations = {}
    for ann in data['annotations']:
        if not ann.get('answers'):
            raise ValueError(f'{ann_file}: question {ann.get("question_id")} has no answers')
        annotations[int(ann['question_id'])] = ann
    return annotations


@METRICS.register_module()
class VQAOfficialAccuracy(BaseMetric):
    """VQA accuracy (percent) overall (``acc``) and per answer type (``<type>_acc``, ``/`` -> ``_``), as the
    official ``vqaEval.py`` of GT-Vision-Lab/VQA computes it in the version named by ``protocol``.

    Args:
        ann_file: the official annotation file with the human answers (VQAv2 ``v2_mscoco_val2014_annotations.json``,
            OK-VQA ``mscoco_val2014_annotations.json``).
        protocol: ``'official-2021'`` (the script since 2021-03-11) or ``'lavis'`` (the earlier script, shipped by
            LAVIS; what BLIP-2's numbers used).
        lemmatize_predictions: lemmatise each predicted answer first, as LAVIS's BLIP-2 does for OK-VQA
            (``apply_lemmatizer``; see :mod:`visft_mm.evaluation.answer_lemmatizer` for what differs).
        outfile: also write the predictions as the official results JSON ``[{question_id, answer}]`` (as predicted,
            before any lemmatisation).
    """

    default_prefix = 'VQA'

    def __init__(self, ann_file: str, protocol: str = 'official-2021', lemmatize_predictions: bool = False,
                 outfile: Optional[str] = None, collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if protocol not in VQA_PROTOCOLS:
            raise KeyError(f'VQAOfficialAccuracy: unknown protocol {protocol!r}; known: {sorted(VQA_PROTOCOLS)}')
        self.ann_file = ann_file
        self.protocol = protocol
        self.lemmatize_predictions = lemmatize_predictions
        self.outfile = outfile

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'question_id' not in sample:
                raise KeyError('VQAOfficialAccuracy needs question_id in the data samples: add it to the '
                               "pipeline's PackInputs meta_keys")
            self.results.append(dict(question_id=int(sample['question_id']), answer=sample['pred_answer']))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        annotations = read_vqa_annotations(self.ann_file)
        unknown = [r['question_id'] for r in results if r['question_id'] not in annotations]
        if unknown:
            raise KeyError(f'{self.ann_file}: no annotation for predicted question ids {unknown[:5]} '
                           f'({len(unknown)} in all)')
        if self.outfile:
            with open(self.outfile, 'w') as f:
                json.dump(results, f)
        by_type = defaultdict(list)
        for result in results:
            ann = annotations[result['question_id']]
            answer = lemmatize_answer(result['answer']) if self.lemmatize_predictions else result['answer']
            acc = vqa_accuracy(answer, ann['answers'], self.protocol)
            by_type['acc'].append(acc)
            if ann.get('answer_type'):
                by_type[ann['answer_type'].replace('/', '_') + '_acc'].append(acc)
        lemmatised = ', lemmatised predictions' if self.lemmatize_predictions else ''
        MMLogger.get_current_instance().info(
            f'VQA accuracy ({self.protocol!r} protocol{lemmatised}) over {len(results)} of the '
            f'{len(annotations)} questions of {self.ann_file}')
        return {key: 100.0 * sum(accs) / len(accs) for key, accs in by_type.items()}


@METRICS.register_module()
class GQAExactMatch(BaseMetric):
    """GQA accuracy (percent) as LAVIS's ``GQATask._report_metrics`` (``lavis/tasks/vqa.py``) scores generated
    answers from commit b38a7ac (2023-05) to 71a2da9 (2023-12): the prediction is normalised (punctuation, digits,
    articles), the ground-truth answer is compared as it is (71a2da9 and later normalise it too, which differs
    only where a ground-truth answer changes under that normalisation; mmpretrain's ``GQAAcc`` normalises both
    and reports a fraction)."""

    default_prefix = 'GQA'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(normalize_answer(_clean(sample['pred_answer'])) == sample['gt_answer'])

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        return dict(acc=100.0 * sum(results) / len(results))
