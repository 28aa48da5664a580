"""BLEU-1..4 and CIDEr (METEOR when Java is present) with pycocoevalcap's scorers on COCO caption annotations.

Reference: pycocoevalcap 1.2 (``eval.py``: PTBTokenizer, then the scorers).  Its tokenizer is Stanford CoreNLP
3.4.1's PTBTokenizer run with Java; without Java the captions go through
:func:`visft_mm.datasets.captions.tokenize`, a pure-Python port of its rules (same tokens on 217 of the 219
reference captions in ``tests/test_evaluation/data/ptb_reference.json``; the differences are listed there).  Every
result says which path produced it: ``tokenizer`` is ``'ptb-java'`` or ``'ptb-python'``.
"""
import json
import os.path as osp
import shutil
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from visft_mm.datasets.captions import read_caption_annotations, tokenize
from visft_mm.registry import METRICS


def java_available() -> bool:
    return shutil.which('java') is not None


# use_ptb -> the name of the tokenizer path in a metric's output
TOKENIZER_PATHS = {True: 'ptb-java', False: 'ptb-python'}


def tokenize_captions(captions: Dict[int, List[str]], use_ptb: Optional[bool] = None) -> Dict[int, List[str]]:
    """pycocoevalcap's PTB tokenizer (Java) when available, else :func:`tokenize` (its rules ported to Python)."""
    use_ptb = java_available() if use_ptb is None else use_ptb
    if use_ptb:
        from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
        return PTBTokenizer().tokenize({k: [dict(caption=c) for c in v] for k, v in captions.items()})
    return {k: [' '.join(tokenize(c)) for c in v] for k, v in captions.items()}


def score_captions(references: Dict[int, List[str]], predictions: Dict[int, str],
                   use_ptb: Optional[bool] = None, with_meteor: Optional[bool] = None) -> Dict[str, float]:
    """COCO caption scores of ``predictions`` (one caption per image id) against ``references``."""
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    missing = set(predictions) - set(references)
    if missing:
        raise KeyError(f'predictions for images without reference captions: {sorted(missing)[:5]}')
    gts = tokenize_captions({k: references[k] for k in predictions}, use_ptb)
    res = tokenize_captions({k: [v] for k, v in predictions.items()}, use_ptb)
    scores = {}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    scores.update({f'BLEU-{i + 1}': float(b) for i, b in enumerate(bleu)})
    scores['CIDEr'] = float(Cider().compute_score(gts, res)[0])
    if java_available() if with_meteor is None else with_meteor:
        from pycocoevalcap.meteor.meteor import Meteor
        scorer = Meteor()
        scores['METEOR'] = float(scorer.compute_score(gts, res)[0])
        del scorer  # stops its Java process
    return scores


@METRICS.register_module()
class CocoCaptionMetric(BaseMetric):
    """Caption scores against ``ann_file`` (COCO ``captions_*.json`` or Karpathy ``dataset_coco.json`` with
    ``splits``); writes the predictions as a COCO results JSON (``[{image_id, caption}]``) to ``outfile``.

    ``tokenizer``: ``'auto'`` (Java's PTB tokenizer when ``java`` is on the PATH, else the Python port), ``'java'``
    (an error without Java) or ``'python'``.  The result's ``tokenizer`` entry names the path that was taken.
    """

    default_prefix = 'caption'

    def __init__(self, ann_file: str, splits: Optional[Sequence[str]] = None, outfile: Optional[str] = None,
                 tokenizer: str = 'auto', collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if tokenizer not in ('auto', 'java', 'python'):
            raise ValueError(f"{type(self).__name__}: tokenizer must be 'auto', 'java' or 'python', got {tokenizer!r}")
        self.tokenizer = tokenizer
        self.ann_file = ann_file
        self.splits = splits
        self.outfile = outfile

    def process(self, data_batch, data_samples: Sequence) -> None:
        for sample in data_samples:
            image_id = sample['image_id'] if isinstance(sample, dict) else sample.metainfo['image_id']
            caption = sample['pred_caption'] if isinstance(sample, dict) else sample.pred_caption
            self.results.append(dict(image_id=int(image_id), caption=caption))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        logger = MMLogger.get_current_instance()
        references = {e['image_id']: e['captions'] for e in read_caption_annotations(self.ann_file, self.splits)}
        predictions = {r['image_id']: r['caption'] for r in results}
        if self.outfile:
            with open(self.outfile, 'w') as f:
                json.dump([dict(image_id=k, caption=v) for k, v in predictions.items()], f)
            logger.info(f'caption predictions written to {osp.abspath(self.outfile)}')
        use_ptb = self.use_ptb()
        logger.info('tokenizing captions with ' + ('the PTB tokenizer (Java)' if use_ptb else
                                                   "the Python port of the PTB tokenizer's rules"))
        return dict(score_captions(references, predictions, use_ptb=use_ptb), tokenizer=TOKENIZER_PATHS[use_ptb])

    def use_ptb(self) -> bool:
        if self.tokenizer == 'java' and not java_available():
            raise RuntimeError(f"{type(self).__name__}(tokenizer='java'): no java on the PATH (install "
                               "default-jre-headless, or use tokenizer='python' / 'auto')")
        return self.tokenizer == 'java' or (self.tokenizer == 'auto' and java_available())
