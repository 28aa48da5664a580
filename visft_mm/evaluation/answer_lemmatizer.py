"""Lemmatised answers for OK-VQA, as LAVIS post-processes them, with a lemmatiser that runs offline.

LAVIS (``lavis/models/blip2_models/blip2_opt.py`` / ``blip2_t5.py`` ``_lemmatize``, switched on by
``apply_lemmatizer: True`` in ``lavis/projects/blip2/eval/okvqa_zeroshot_flant5xl_eval.yaml``, its only BLIP-2
OK-VQA evaluation config) runs spaCy's ``en_core_web_sm`` over each *predicted* answer, replaces every token
tagged NOUN or VERB by its lemma, keeps the other tokens as they are and joins the tokens with spaces.  The human
answers of OK-VQA's annotation file are already lemmatised (its ``answer`` field; ``raw_answer`` is the original).

spaCy's model is not a PyPI package, so here the lemmas come from ``lemminflect`` (PyPI, ships its dictionaries)
without a part-of-speech tagger:

* a word lemminflect knows as a noun gets its first noun lemma (``dogs`` -> ``dog``, ``children`` -> ``child``);
* else a word it knows as a verb, and not as an auxiliary, gets its verb lemma (``skiing`` -> ``ski``);
* anything else (auxiliaries, adjectives, numbers, unknown words) is kept.

What differs from LAVIS: spaCy's tags depend on context (``running`` may be VERB -> ``run`` there, a known noun
-> ``running`` here; ``is`` is AUX in both and kept), and spaCy splits contractions and hyphens into tokens joined
by spaces (``don't`` -> ``do n't``), where this keeps each whitespace word whole (after the VQA normalisation
hyphens and punctuation come out the same; contractions do not).
"""
import re
from typing import List

_WORD = re.compile(r'^(\W*)(\w+?)(\W*)$')


def _lemma(word: str) -> str:
    from lemminflect import getAllLemmas  # imported here: only OK-VQA needs it
    lemmas = getAllLemmas(word.lower())
    if lemmas.get('NOUN'):
        return lemmas['NOUN'][0]
    if lemmas.get('VERB') and 'AUX' not in lemmas:
        return lemmas['VERB'][0]
    return word


def lemmatize_answer(answer: str) -> str:
    """``answer`` with each word's noun (else verb) lemma, punctuation around a word kept."""
    out: List[str] = []
    for token in answer.split():
        match = _WORD.match(token)
        if match is None or not match.group(2).isalpha():
            out.append(token)
        else:
            lead, word, trail = match.groups()
            out.append(lead + _lemma(word) + trail)
    return ' '.join(out)
