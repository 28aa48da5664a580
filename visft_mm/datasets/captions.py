"""COCO captions for the show-attend-tell captioner: tokenizer, a vocabulary saved once, and the dataset.

The vocabulary is built once by ``tools/dataset_converters/build_caption_vocab.py`` and saved as JSON; training,
stage 2 and evaluation all load that file, and the captioner stores it in its checkpoints, so word ids never drift.
"""
import json
import os.path as osp
import re
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmengine.logging import MMLogger

from visft_mm.registry import DATASETS
from .unreadable import UnreadableImagePolicy

PAD, START, END, UNK = '<pad>', '<start>', '<end>', '<unk>'
SPECIALS = (PAD, START, END, UNK)
# --- the PTB tokenizer's rules in Python -------------------------------------------------------------------------
# Reference: pycocoevalcap (1.2) ``tokenizer/ptbtokenizer.py`` runs Stanford CoreNLP 3.4.1's PTBTokenizer with
# ``-preserveLines -lowerCase`` and then drops the tokens in its PUNCTUATIONS list.  The rules below were read off
# that tokenizer's output (tests/test_evaluation/data/ptb_reference.json holds its tokens for the captions of the
# test); what it does that this does not is listed in :func:`tokenize`.
PTB_PUNCTUATION = frozenset(["''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-', '.', '?', '!', ',', ':', '-',
                             '--', '...', ';'])  # pycocoevalcap's list: upper-case brackets, so '-lrb-' stays
# words that keep their period (case-insensitive): titles, street / company / month / day abbreviations
_ABBREVIATIONS = frozenset(
    'mr mrs ms dr drs prof profs sen sens rep reps lt col gen gov govs adm rev maj sgt capt st ste ave pres hon det '
    'jr sr bros blvd rd esq inc co cos corp ltd plc dept univ intl jan feb mar apr jun jul aug sep sept oct nov dec '
    'mon tue tues wed thu thurs fri ft sq tel est ext vs etc al mt cf ph'.split())
_BEFORE_NUMBER = frozenset(['no', 'nos'])  # keep their period only before a number ('no. 5')
_SPLIT_WORDS = {'cannot': ('can', 'not'), 'gonna': ('gon', 'na'), 'gotta': ('got', 'ta'), 'wanna': ('wan', 'na'),
                'gimme': ('gim', 'me'), 'lemme': ('lem', 'me'), "'tis": ("'t", 'is'), "'twas": ("'t", 'was'),
                "y'all": ("y'", 'all')}
_CLITIC = re.compile(r"(?i)(?<=\w)(n't|'s|'re|'m|'ll|'ve|'d)$")
_CHARACTER_MAP = str.maketrans({'\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2014': ' -- ',
                                '\u2013': ' -- ', '\u2026': ' ... ', '\u00bd': '1/2', '\u00a3': '#', '\u20ac': '$'})
_L = r'[^\W\d_]'  # a letter (any script)
_W = r'[^\W_]'  # a letter or digit
_PTB_TOKEN = re.compile(rf"""
    (?P<acronym>(?:{_L}\.){{2,}})                         # u.s.a.  a.m.  i.e.
  | (?P<number>\d+(?:[,.:/]\d+)+)                         # 1,000  10:30  3.5  1/2 (letters after it split off)
  | (?P<quoted>'(?:\d0s|n'|tis|twas)(?!\w))               # '90s  'n'  'tis
  | (?P<clitic>'(?:s|re|m|ll|ve|d)(?!\w)|n't(?!\w))       # a clitic already split off: the man 's hat
  | (?P<email>{_W}+(?:[.\-]{_W}+)*@{_W}+(?:\.{_W}+)+)     # john@example.com
  | (?P<company>[A-Z]+&[A-Z]+(?![a-z]))                  # AT&T  B&W  (but 'at & t')
  | (?P<emoticon>[:;]-?[()DPdp](?!\w))                     # :)  ;-)  :D
  | (?P<tag>[#@]{_L}{_W}*)                                # #hashtag  @user  (but '# 1')
  | (?P<word>{_W}+(?:[-/.']{_W}+)*(?:\+\+|\#)?)           # t-shirt  black/white  o'clock  st.louis  c++
  | (?P<dots>\.\.\.+|--+|[!?]+)
  | (?P<other>\S)
""", re.VERBOSE)
# PTB's escapes of brackets, and a double quote as a closing quote (pycocoevalcap drops either quote)
_ESCAPES = {'(': '-LRB-', ')': '-RRB-', '{': '-LCB-', '}': '-RCB-', '[': '-LSB-', ']': '-RSB-', '"': "''"}


def _word_tokens(word: str, following: str, starts_word: bool = True) -> List[str]:
    """A word as PTB splits it: its clitic split off, a few fused forms split, an abbreviation keeps its period
    (a single letter only when it stands alone: 'plan b.' keeps it, '75°F.' does not)."""
    if following.startswith('.'):
        bare = word.lower()
        if (len(word) == 1 and word.isalpha() and starts_word) or bare in _ABBREVIATIONS or \
                (bare in _BEFORE_NUMBER and re.match(r'\.\s*\d', following)):
            return [word + '.']
    number = re.fullmatch(r'(?i)(nos?\.)(\d+)', word)
    if number:  # 'no.5' -> 'no. 5'
        return list(number.groups())
    if word.lower() in _SPLIT_WORDS:
        return list(_SPLIT_WORDS[word.lower()])
    clitic = _CLITIC.search(word)
    if clitic and clitic.start() > 0:
        return _word_tokens(word[:clitic.start()], '') + [clitic.group(1)]
    return [word]


def ptb_tokens(caption: str) -> List[str]:
    """The tokens of Stanford PTBTokenizer (``-preserveLines -lowerCase``) as a pure-Python approximation."""
    text = caption.translate(_CHARACTER_MAP)
    tokens: List[str] = []
    skip_period = False
    for m in _PTB_TOKEN.finditer(text):
        kind, token = m.lastgroup, m.group()
        if skip_period:  # the period an abbreviation took
            skip_period = False
            if token == '.':
                continue
        if kind == 'quoted' and token.lower() in _SPLIT_WORDS:
            tokens.extend(_SPLIT_WORDS[token.lower()])
        elif kind == 'word':
            split = _word_tokens(token, text[m.end():], m.start() == 0 or text[m.start() - 1].isspace())
            skip_period = split[-1].endswith('.') and not token.endswith('.')
            tokens.extend(split)
        elif kind == 'emoticon':
            tokens.append(token[:-1] + _ESCAPES.get(token[-1], token[-1]))
        elif kind == 'other':
            if ord(token) > 0xFFFF:
                continue  # outside the BMP (emoji): PTBTokenizer warns "Untokenizable" and drops it
            tokens.append(_ESCAPES.get(token, token))
        else:
            tokens.append(token)
    return [t.lower() for t in tokens]


def tokenize(caption: str) -> List[str]:
    """The tokens pycocoevalcap scores a caption on: :func:`ptb_tokens` without pycocoevalcap's punctuation.

    Kept as PTB keeps them: non-ASCII letters (``café``), numbers with separators (``10:30``, ``1,000``, ``3.5``),
    acronyms and known abbreviations with their period (``a.m.``, ``st.``), words joined by ``/`` or ``-``
    (``black/white``, ``t-shirt``), ``& $ % # @`` as tokens, clitics split off (``dogs '`` -> ``dogs``, ``'re``,
    ``'m``, ``'ll``, ``n't``), brackets as ``-lrb-`` ... (pycocoevalcap's list has them upper case, so they stay).
    What PTBTokenizer does that this does not: its full abbreviation and acronym lexicon (only the common ones
    above), URLs and the rarer emoticons as single tokens, SGML / XML tags, ``&amp;``-style entities, and the
    rarer currency and character normalisations (``£`` -> ``#``, ``€`` -> ``$``, curly quotes, dashes, ``…`` and
    ``½`` are done; others not); characters outside the BMP (emoji) are dropped as it drops them.
    """
    return [t for t in ptb_tokens(caption) if t not in PTB_PUNCTUATION]


class Vocabulary:
    """Word <-> id.  Ids 0-3 are ``<pad> <start> <end> <unk>``."""

    def __init__(self, words: Sequence[str], min_freq: int = 5):
        if list(words[:4]) != list(SPECIALS):
            raise ValueError(f'a vocabulary must start with {SPECIALS}, got {list(words[:4])}')
        self.words = list(words)
        self.min_freq = min_freq
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def build(cls, captions: Iterable[str], min_freq: int = 5) -> 'Vocabulary':
        counts = Counter(token for caption in captions for token in tokenize(caption))
        kept = sorted((w for w, n in counts.items() if n >= min_freq), key=lambda w: (-counts[w], w))
        return cls(list(SPECIALS) + kept, min_freq)

    @classmethod
    def from_annotations(cls, ann_file: str, splits: Optional[Sequence[str]] = ('train', 'restval'),
                         min_freq: int = 5) -> 'Vocabulary':
        """The vocabulary of the captions in ``ann_file`` (COCO or Karpathy; Karpathy filtered by ``splits``)."""
        entries = read_caption_annotations(ann_file, splits)
        return cls.build((caption for entry in entries for caption in entry['captions']), min_freq)

    @classmethod
    def load(cls, path: str) -> 'Vocabulary':
        if not osp.isfile(path):
            raise FileNotFoundError(f'caption vocabulary {path!r} does not exist; build it with '
                                    'tools/dataset_converters/build_caption_vocab.py')
        with open(path) as f:
            try:
                data = json.load(f)
                return cls(data['words'], data.get('min_freq', 5))
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ValueError(f'{path!r} is not a caption vocabulary file: {e}') from e

    def save(self, path: str) -> None:
        with open(path, 'w') as f:
            json.dump(dict(words=self.words, min_freq=self.min_freq), f)

    def __len__(self) -> int:
        return len(self.words)

    def __eq__(self, other) -> bool:
        return isinstance(other, Vocabulary) and self.words == other.words

    def encode(self, caption: str, max_length: int) -> List[int]:
        """``<start> w1 ... wn <end>`` ids, words truncated to ``max_length``."""
        unk = self.index[UNK]
        ids = [self.index.get(t, unk) for t in tokenize(caption)[:max_length]]
        return [self.index[START]] + ids + [self.index[END]]

    def decode(self, ids: Iterable[int]) -> str:
        """Words up to the first ``<end>``; ``<start>``/``<pad>`` dropped."""
        words = []
        for i in ids:
            word = self.words[int(i)]
            if word == END:
                break
            if word not in (START, PAD):
                words.append(word)
        return ' '.join(words)


def read_caption_annotations(ann_file: str, splits: Optional[Sequence[str]] = None) -> List[dict]:
    """``[{image_id, file_name, captions}]`` from COCO ``captions_*.json`` or Karpathy ``dataset_coco.json``.

    Karpathy entries are named as in COCO 2017 (``{cocoid:012d}.jpg``) and filtered by ``splits``.  An image listed
    without any caption is skipped and counted in the log; an empty caption is an error naming the file.
    """
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'caption annotation file {ann_file!r} does not exist')
    with open(ann_file) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{ann_file}: not valid JSON ({e})') from e
    entries = []
    if 'annotations' in data:  # COCO captions
        by_image: Dict[int, List[str]] = {}
        for ann in data['annotations']:
            if not str(ann.get('caption', '')).strip():
                raise ValueError(f'{ann_file}: caption annotation {ann.get("id")} of image {ann.get("image_id")} '
                                 'is empty')
            by_image.setdefault(ann['image_id'], []).append(ann['caption'])
        for img in data['images']:
            entries.append(dict(image_id=img['id'], file_name=img['file_name'],
                                captions=by_image.get(img['id'], [])))
    elif 'images' in data and data.get('dataset') == 'coco':  # Karpathy split
        for img in data['images']:
            if splits is not None and img['split'] not in splits:
                continue
            for sentence in img['sentences']:
                if not sentence['raw'].strip():
                    raise ValueError(f'{ann_file}: sentence {sentence.get("sentid")} of image {img["cocoid"]} '
                                     'is empty')
            entries.append(dict(image_id=img['cocoid'], file_name=f'{img["cocoid"]:012d}.jpg',
                                captions=[s['raw'] for s in img['sentences']]))
    else:
        raise ValueError(f'{ann_file}: neither COCO captions (images/annotations) nor a Karpathy split '
                         '(images with sentences, dataset="coco")')
    without = [e for e in entries if not e['captions']]
    if without:
        MMLogger.get_current_instance().warning(
            f'{ann_file}: skipped {len(without)} images without captions (e.g. {without[0]["image_id"]})')
    return [e for e in entries if e['captions']]


@DATASETS.register_module()
class CocoCaptionDataset(UnreadableImagePolicy, BaseDataset):
    """COCO captions (``captions_*.json`` or Karpathy ``dataset_coco.json``) with a fixed vocabulary.

    Training (``test_mode=False``) yields one item per (image, caption); testing one item per image.  Each item
    carries ``gt_caption`` (its caption, or all of the image's in test mode) and ``gt_tokens`` (ids, training).
    Images are looked up in ``data_prefix['img_path']``, or with ``image_dirs`` in the first of those folders that
    has them (Karpathy's COCO-2014 images lie in both ``train2017/`` and ``val2017/``).

    In training, a caption with no word (only punctuation) or with only words outside the vocabulary would train
    as ``<start> <end>`` or ``<unk> ... <unk>``: such captions are left out, counted and reported once per kind
    when the dataset loads (test mode keeps every reference caption).  ``on_unreadable_image``: see
    :class:`~visft_mm.datasets.unreadable.UnreadableImagePolicy`.
    """

    def __init__(self, ann_file: str, vocab_file: str, splits: Optional[Sequence[str]] = None,
                 max_length: int = 20, image_dirs: Optional[Sequence[str]] = None,
                 on_unreadable_image: str = 'error', **kwargs):
        self._set_unreadable_policy(on_unreadable_image)
        self.vocab = Vocabulary.load(vocab_file)
        self.splits = splits
        self.max_length = max_length
        self.image_dirs = image_dirs
        super().__init__(ann_file=ann_file, **kwargs)

    def _image_path(self, file_name: str) -> str:
        if not self.image_dirs:
            return osp.join(self.data_prefix.get('img_path', ''), file_name)
        dirs = [osp.join(self.data_root, d) for d in self.image_dirs]
        for folder in dirs:
            if osp.isfile(osp.join(folder, file_name)):
                return osp.join(folder, file_name)
        raise FileNotFoundError(f'{self.ann_file}: image {file_name} is in none of {dirs}')

    def load_data_list(self) -> List[dict]:
        data_list = []
        left_out = dict(no_words=[], only_unknown=[])
        unk = self.vocab.index[UNK]
        for entry in read_caption_annotations(self.ann_file, self.splits):
            base = dict(img_path=self._image_path(entry['file_name']), image_id=entry['image_id'])
            if self.test_mode:
                data_list.append(dict(base, gt_caption=entry['captions']))
                continue
            for caption in entry['captions']:
                tokens = self.vocab.encode(caption, self.max_length)
                words = tokens[1:-1]
                if not words or all(t == unk for t in words):
                    left_out['no_words' if not words else 'only_unknown'].append((entry['image_id'], caption))
                    continue
                data_list.append(dict(base, gt_caption=caption, gt_tokens=tokens))
        for kind, what in (('no_words', 'no word (only punctuation)'),
                           ('only_unknown', 'only words outside the vocabulary')):
            if left_out[kind]:
                image_id, caption = left_out[kind][0]
                MMLogger.get_current_instance().warning(
                    f'{self.ann_file}: left out {len(left_out[kind])} training captions with {what}, e.g. '
                    f'{caption!r} of image {image_id}')
        self.left_out_captions = {kind: len(v) for kind, v in left_out.items()}
        return data_list
