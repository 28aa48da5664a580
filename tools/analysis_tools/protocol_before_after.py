"""Per evaluation protocol of issue 21: what the metric printed before and what it prints now, on the same inputs.

    PYTHONPATH=. python tools/analysis_tools/protocol_before_after.py

"before" is the metric as it was (reproduced here: the old caption tokenizer, mmpretrain's / mmocr's defaults,
the current official vqaEval.py for BLIP-2), "after" the metric the configs use now, "reference" what the reference
script gives where it can run here (pycocoevalcap's Java tokenizer needs ``java``; CLIP_benchmark and sklearn are
imported).  Nothing is downloaded.
"""
import json
import os.path as osp
import re
import shutil

import torch

from visft_mm.datasets.captions import tokenize
from visft_mm.evaluation import score_captions, tie_aware_recall, vqa_accuracy
from visft_mm.evaluation.answer_lemmatizer import lemmatize_answer
from visft_mm.evaluation.mean_per_class_recall import mean_per_class_recall

REFERENCE_TOKENS = osp.join(osp.dirname(__file__), '..', '..', 'tests', 'test_evaluation', 'data',
                            'ptb_reference.json')


def _row(*cells):
    print(' | '.join(str(c) for c in cells))


def vqa():
    print('\n## VQA accuracy (BLIP-2 configs: before official-2021, after lavis = the pre-2021 script LAVIS ships)')
    _row('prediction', 'human answers', 'before (official-2021)', 'after (lavis)')
    cases = [('two', ['two'] * 4 + ['2'] * 2 + ['3'] * 4), ('Yes', ['yes'] * 10), ('yes.', ['yes'] * 10),
             ('Red', ['Red'] * 4 + ['blue'] * 6), ('dog', ['dog'] * 3 + ['cat'] * 7)]
    for pred, answers in cases:
        _row(repr(pred), answers, vqa_accuracy(pred, answers, 'official-2021'), vqa_accuracy(pred, answers, 'lavis'))
    print('\n## OK-VQA: predictions lemmatised as LAVIS does (answers in the file are lemmatised)')
    _row('prediction', 'human answers', 'before (not lemmatised)', 'after (lemmatised)')
    for pred, answers in [('dogs', ['dog'] * 6 + ['puppy'] * 4), ('skiing', ['ski'] * 10), ('red', ['red'] * 10)]:
        _row(repr(pred), answers, vqa_accuracy(pred, answers, 'lavis'),
             vqa_accuracy(lemmatize_answer(pred), answers, 'lavis'))


def _old_tokenize(caption):
    # visft_mm.datasets.captions.tokenize before issue 21
    text = caption.lower().replace("n't", " n't").replace("'s", " 's")
    return [t for t in re.sub(r"[^a-z0-9'\- ]+", ' ', text).split() if t.strip("-'")]


def captions():
    print('\n## Caption tokens without Java (reference: pycocoevalcap 1.2 PTBTokenizer, Java)')
    with open(REFERENCE_TOKENS) as f:
        entries = json.load(f)['captions']
    before = sum(' '.join(_old_tokenize(e['caption'])) != e['tokens'] for e in entries)
    after = sum(' '.join(tokenize(e['caption'])) != e['tokens'] for e in entries)
    print(f'captions whose tokens differ from the reference: before {before} of {len(entries)}, '
          f'after {after} of {len(entries)}')
    _row('caption', 'before', 'after', 'reference')
    for e in entries:
        if e['caption'].startswith(('A café', 'The clock reads', 'A sign that says 1,000', 'A clock showing',
                                    'The dogs\'', "They're", 'A black/white', 'A sign advertising')):
            _row(repr(e['caption']), ' '.join(_old_tokenize(e['caption'])), ' '.join(tokenize(e['caption'])),
                 e['tokens'])
    # scores: every 5th caption a prediction, the next four its references
    caps = [e['caption'] for e in entries]
    refs = {i: caps[5 * i + 1:5 * i + 5] for i in range(len(caps) // 5)}
    preds = {i: caps[5 * i] for i in refs}

    def scores(tok):
        gts = {k: [' '.join(tok(c)) for c in v] for k, v in refs.items()}
        res = {k: [' '.join(tok(v))] for k, v in preds.items()}
        from pycocoevalcap.bleu.bleu import Bleu
        from pycocoevalcap.cider.cider import Cider
        return Bleu(4).compute_score(gts, res, verbose=0)[0][0], Cider().compute_score(gts, res)[0]

    _row('tokens', 'BLEU-1', 'CIDEr')
    for name, tok in (('before (old Python)', _old_tokenize), ('after (PTB port)', tokenize)):
        b1, cider = scores(tok)
        _row(name, f'{100 * b1:.2f}', f'{100 * cider:.2f}')
    if shutil.which('java'):
        java = score_captions(refs, preds, use_ptb=True, with_meteor=False)
        _row('reference (Java PTB)', f"{100 * java['BLEU-1']:.2f}", f"{100 * java['CIDEr']:.2f}")


def ocr():
    print("\n## OCR word accuracy (ignore_case_symbol): before mmocr's default valid_symbol, after ViTSTR's")
    from mmocr.evaluation import WordMetric
    cases = [('Hello^', 'hello'), ('hello中', 'HELLO'), ('cat', 'cat')]
    _row('prediction', 'label', 'before', 'after')
    for pred, gt in cases:
        row = []
        for symbols in ('[^A-Z^a-z^0-9^\u4e00-\u9fa5]', '[^0-9a-z]'):
            metric = WordMetric(mode='ignore_case_symbol', valid_symbol=symbols)
            metric.process(None, [dict(pred_text=dict(item=pred), gt_text=dict(item=gt))])
            row.append(metric.evaluate(1)['recog/word_acc_ignore_case_symbol'])
        _row(repr(pred), repr(gt), *row)


def retrieval():
    print('\n## Text retrieval R@1 with duplicate captions (exact ties), over 5 orders of the same data')
    from clip_benchmark.metrics.zeroshot_retrieval import recall_at_k
    from mmpretrain.evaluation import RetrievalRecall
    g = torch.Generator().manual_seed(0)
    images = torch.nn.functional.normalize(torch.randn(40, 16, generator=g), dim=-1)
    texts = torch.nn.functional.normalize(images.repeat_interleave(5, 0) + 0.9 * torch.randn(200, 16, generator=g),
                                          dim=-1)
    for i in range(0, 40, 2):  # one caption of every pair of images is the same string
        texts[5 * i] = texts[5 * (i + 1)] = images[i]
    owner = torch.arange(200) // 5
    _row('order', 'mmpretrain RetrievalRecall', 'CLIP_benchmark recall_at_k', 'after (TieAwareRetrievalRecall)')
    for seed in range(5):
        perm = torch.randperm(200, generator=torch.Generator().manual_seed(seed))
        scores = images @ texts[perm].T
        positives = owner[perm][None] == torch.arange(40)[:, None]
        mmpre = float(RetrievalRecall.calculate(scores, positives.float(), topk=(1, 5))[0])
        clipb = 100 * float((recall_at_k(scores, positives, 1) > 0).float().mean())
        ours = 100 * sum(tie_aware_recall(s, p, (1, ))[0] for s, p in zip(scores, positives)) / 40
        _row(seed, f'{mmpre:.1f}', f'{clipb:.1f}', f'{ours:.1f}')


def mean_recall():
    print('\n## Mean per-class recall with a class without test images (3 classes, class 2 empty)')
    from mmpretrain.evaluation import SingleLabelMetric
    pred, gt = torch.tensor([0, 1, 0, 2]), torch.tensor([0, 1, 1, 1])
    before = float(SingleLabelMetric.calculate(pred, gt, num_classes=3, average='macro')[1])
    after = 100 * mean_per_class_recall(pred, gt)
    reference = ''
    try:
        from sklearn.metrics import balanced_accuracy_score
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            reference = f'{100 * balanced_accuracy_score(gt.numpy(), pred.numpy()):.1f}'
    except ImportError:
        pass
    _row('before (mmpretrain macro recall)', 'after (MeanPerClassRecall)', 'reference (sklearn balanced accuracy)')
    _row(f'{before:.1f}', f'{after:.1f}', reference)


if __name__ == '__main__':
    vqa()
    captions()
    ocr()
    retrieval()
    mean_recall()
