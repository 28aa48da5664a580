"""VQA accuracy as the official VQA evaluation (``vqaEval.py``, used by LAVIS for VQAv2 and OK-VQA) computes it,
and GQA exact match as LAVIS computes it.

mmpretrain's ``VQAAcc`` normalises answers the same way (its ``_process_punctuation`` / ``_process_digit_article``
are the official ones and are reused here) but differs in two places:

* it scores ``min(1, #matches / 3)`` over all 10 human answers; the official score averages that over the 10
  leave-one-out subsets of 9 answers (1 match: 0.3 instead of 0.333; 3 matches: 0.9 instead of 1.0);
* it always normalises; the official code normalises the prediction and the answers only when the 10 human
  answers are not all the same string (then the prediction must match them as it is).

Its datasets also fold the 10 answers into unique answers with weights, which loses what the leave-one-out
average needs, so :class:`VQAOfficialAccuracy` reads the answers from the official annotation file by
``question_id``.
"""
import json
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from visft_mm.private_apis import vqa_answer_normalizers
from visft_mm.registry import METRICS

_process_punctuation, _process_digit_article = vqa_answer_normalizers()


def _clean(answer: str) -> str:
    return answer.replace('\n', ' ').replace('\t', ' ').strip()


def normalize_answer(answer: str) -> str:
    """The official answer normalisation: punctuation, number words -> digits, articles dropped, contractions."""
    return _process_digit_article(_process_punctuation(answer))


def official_vqa_accuracy(prediction: str, human_answers: Sequence[str]) -> float:
    """One question's accuracy in [0, 1]: the mean over leaving each human answer out of
    ``min(1, #remaining answers equal to the prediction / 3)``."""
    answers = [_clean(a) for a in human_answers]
    prediction = _clean(prediction)
    if len(set(answers)) > 1:
        answers = [normalize_answer(a) for a in answers]
        prediction = normalize_answer(prediction)
    matches = sum(a == prediction for a in answers)
    # leaving out a matching answer leaves matches - 1, any other answer leaves matches
    return sum(min(1.0, (matches - (a == prediction)) / 3) for a in answers) / len(answers)


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
    """Official VQA accuracy (percent) overall (``acc``) and per answer type (``<type>_acc``, ``/`` -> ``_``).

    Args:
        ann_file: the official annotation file with the human answers (VQAv2 ``v2_mscoco_val2014_annotations.json``,
            OK-VQA ``mscoco_val2014_annotations.json``).
        outfile: also write the predictions as the official results JSON ``[{question_id, answer}]``.
    """

    default_prefix = 'VQA'

    def __init__(self, ann_file: str, outfile: Optional[str] = None, collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.ann_file = ann_file
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
            acc = official_vqa_accuracy(result['answer'], [a['answer'] for a in ann['answers']])
            by_type['acc'].append(acc)
            if ann.get('answer_type'):
                by_type[ann['answer_type'].replace('/', '_') + '_acc'].append(acc)
        MMLogger.get_current_instance().info(
            f'VQA accuracy over {len(results)} of the {len(annotations)} questions of {self.ann_file}')
        return {key: 100.0 * sum(accs) / len(accs) for key, accs in by_type.items()}


@METRICS.register_module()
class GQAExactMatch(BaseMetric):
    """GQA accuracy (percent) as LAVIS scores generated answers: the prediction is normalised (punctuation,
    digits, articles), the ground-truth answer is compared as it is (mmpretrain's ``GQAAcc`` normalises both and
    reports a fraction)."""

    default_prefix = 'GQA'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(normalize_answer(_clean(sample['pred_answer'])) == sample['gt_answer'])

    def compute_metrics(self, results: List[bool]) -> Dict[str, float]:
        return dict(acc=100.0 * sum(results) / len(results))
