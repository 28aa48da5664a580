"""The Python port of the PTB tokenizer against the tokens pycocoevalcap's Java PTBTokenizer gives.

``data/ptb_reference.json``: 219 captions (COCO-style, plus the cases the port has rules for, plus 50 written after
the rules as a held-out check) and the tokens of pycocoevalcap 1.2's ``PTBTokenizer().tokenize`` on them (Stanford
CoreNLP 3.4.1, ``-preserveLines -lowerCase``, pycocoevalcap's punctuation removed), written with OpenJDK 17.
"""
import json
import os.path as osp
import shutil

import pytest

from visft_mm.datasets.captions import ptb_tokens, tokenize

REFERENCE = osp.join(osp.dirname(__file__), 'data', 'ptb_reference.json')
# what the port does not reproduce (see tokenize's docstring)
KNOWN_DIFFERENCES = {
    'A train at platform #9 3/4.',  # PTB joins '9 3/4' into one token with a no-break space
    'the A.T.&T. building and at&t phone',  # 't.' after '&' keeps its period in PTB
}
needs_java = pytest.mark.skipif(not shutil.which('java'), reason="pycocoevalcap's PTB tokenizer needs Java")


def _reference():
    with open(REFERENCE) as f:
        return json.load(f)['captions']


def test_port_matches_the_reference_tokens():
    differ = {e['caption'] for e in _reference() if ' '.join(tokenize(e['caption'])) != e['tokens']}
    assert differ == KNOWN_DIFFERENCES


@pytest.mark.parametrize('caption, tokens', [
    # the cases, from PTBTokenizer's rules: non-ASCII letters are letters
    ('A café with jalapeños', 'a café with jalapeños'),
    # numbers keep their separators; letters after a separated number split off, after a plain one they do not
    ('At 10:30 and 5:00pm, 1,000 km or 3pm', 'at 10:30 and 5:00 pm 1,000 km or 3pm'),
    # acronyms and known abbreviations keep their period, also last in the caption; other words lose it
    ('At 9 a.m. on St. Mark st. near the dog.', 'at 9 a.m. on st. mark st. near the dog'),
    ('A black/white t-shirt', 'a black/white t-shirt'),  # / and - inside a word
    ('cats & dogs for $5, 50% off, #1', 'cats & dogs for $ 5 50 % off # 1'),  # symbols are tokens of their own
    ("the dogs' bowls", 'the dogs bowls'),  # the trailing apostrophe is a token, dropped as punctuation
    ("they're sure I'm here, we'll see, don't go", "they 're sure i 'm here we 'll see do n't go"),
    ('a (red) "stop" sign!?', "a -lrb- red -rrb- stop sign !?"),  # brackets stay: pycocoevalcap lists '-LRB-'
    ('gonna cannot', 'gon na can not'),
])
def test_ptb_rules_hand_cases(caption, tokens):
    assert ' '.join(tokenize(caption)) == tokens


def test_punctuation_is_kept_by_ptb_tokens():
    assert ptb_tokens('A dog, running... fast!') == ['a', 'dog', ',', 'running', '...', 'fast', '!']


@needs_java
def test_reference_is_what_pycocoevalcap_gives():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
    entries = _reference()
    live = PTBTokenizer().tokenize({i: [dict(caption=e['caption'])] for i, e in enumerate(entries)})
    assert [live[i][0] for i in range(len(entries))] == [e['tokens'] for e in entries]


def _write_coco_captions(path, references):
    images = [dict(id=i, file_name=f'{i}.jpg') for i in references]
    anns = [dict(id=10 * i + j, image_id=i, caption=c) for i, caps in references.items() for j, c in enumerate(caps)]
    path.write_text(json.dumps(dict(images=images, annotations=anns)))
    return str(path)


def test_metric_names_its_tokenizer(tmp_path, monkeypatch):
    from visft_mm.evaluation import CocoCaptionMetric, caption_metric
    monkeypatch.setattr(caption_metric, 'java_available', lambda: False)  # a machine without Java (no METEOR)
    ann = _write_coco_captions(tmp_path / 'captions.json', {1: ['A café at 10:30 a.m.', 'A small café.'],
                                                             2: ["The dogs' bowls.", 'Two bowls on a floor.']})
    metric = CocoCaptionMetric(ann_file=ann)
    metric.process(None, [dict(image_id=1, pred_caption='a café at 10:30 a.m.'),
                          dict(image_id=2, pred_caption='the dogs bowls')])
    scores = metric.evaluate(2)
    assert scores['caption/tokenizer'] == 'ptb-python'
    assert scores['caption/BLEU-1'] == pytest.approx(1.0)  # each prediction is one reference, token for token
    with pytest.raises(ValueError, match='tokenizer'):
        CocoCaptionMetric(ann_file=ann, tokenizer='nltk')
    with pytest.raises(RuntimeError, match='no java'):
        CocoCaptionMetric(ann_file=ann, tokenizer='java').use_ptb()


@needs_java
def test_both_paths_score_the_reference_captions_alike():
    from visft_mm.evaluation import score_captions
    entries = [e['caption'] for e in _reference() if e['caption'] not in KNOWN_DIFFERENCES]
    references = {i: entries[5 * i + 1:5 * i + 5] for i in range(len(entries) // 5)}
    predictions = {i: entries[5 * i] for i in references}
    java = score_captions(references, predictions, use_ptb=True, with_meteor=False)
    python = score_captions(references, predictions, use_ptb=False, with_meteor=False)
    assert python == pytest.approx(java, abs=1e-12)
