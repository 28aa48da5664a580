"""VQAv2 / OK-VQA questions with their official annotations, paired by question id or refused.

mmpretrain's :class:`COCOVQA` pairs the question file and the annotation file by position after a bare
``assert len(questions) == len(annotations)``: a question without an annotation (or the reverse) fails with no
message, and two files of equal length in different orders silently give questions the wrong answers.
"""
from typing import List

import mmengine
from mmpretrain.datasets import COCOVQA

from visft_mm.registry import DATASETS


@DATASETS.register_module()
class StrictCOCOVQA(COCOVQA):
    """:class:`COCOVQA` (same arguments) that first checks that the question file and the annotation file hold the
    same question ids in the same order, and names both files and the first ids that differ."""

    def load_data_list(self) -> List[dict]:
        if self.ann_file:
            question_ids = [q['question_id'] for q in mmengine.load(self.question_file)['questions']]
            annotated = [a['question_id'] for a in mmengine.load(self.ann_file)['annotations']]
            only_questions = sorted(set(question_ids) - set(annotated))
            only_annotations = sorted(set(annotated) - set(question_ids))
            if only_questions or only_annotations:
                raise ValueError(
                    f'{self.question_file} and {self.ann_file} do not hold the same questions: '
                    f'{len(only_questions)} question(s) without an annotation (e.g. {only_questions[:3]}), '
                    f'{len(only_annotations)} annotation(s) without a question (e.g. {only_annotations[:3]})')
            if question_ids != annotated:
                first = next(i for i, (q, a) in enumerate(zip(question_ids, annotated)) if q != a)
                raise ValueError(f'{self.ann_file} is not in the order of {self.question_file} (entry {first}: '
                                 f'question {question_ids[first]}, annotation {annotated[first]}); mmpretrain pairs '
                                 'them by position')
        return super().load_data_list()
