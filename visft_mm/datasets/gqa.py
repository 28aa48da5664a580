"""GQA balanced questions from the official file or LAVIS's copy of it."""
import os.path as osp
from typing import List

import mmengine
from mmpretrain.datasets import GQA

from visft_mm.registry import DATASETS


@DATASETS.register_module()
class GQABalanced(GQA):
    """mmpretrain's :class:`GQA` (which reads LAVIS's list ``[{image, question, answer, question_id}]``) that also
    reads the official ``testdev_balanced_questions.json`` (``{question_id: {imageId, question, answer, ...}}``,
    images ``<imageId>.jpg``).  ``question_id`` is kept in both cases."""

    def load_data_list(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'GQA question file {self.ann_file!r} does not exist')
        annotations = mmengine.load(self.ann_file)
        if isinstance(annotations, dict):  # official layout
            annotations = [dict(question_id=qid, image=f'{q["imageId"]}.jpg', question=q['question'],
                                answer=q['answer']) for qid, q in annotations.items()]
        data_list = []
        for ann in annotations:
            missing = [k for k in ('image', 'question', 'answer') if k not in ann]
            if missing:
                raise KeyError(f'{self.ann_file}: question {ann.get("question_id")} lacks {missing}')
            data_list.append(dict(img_path=osp.join(self.data_prefix['img_path'], ann['image']),
                                  question=ann['question'], gt_answer=ann['answer'],
                                  question_id=ann.get('question_id')))
        return data_list
