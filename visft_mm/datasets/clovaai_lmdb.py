"""Text-recognition LMDBs of the clovaai release (MJSynth, SynthText, the benchmark evaluation sets), strictly read.

mmocr's :class:`~mmocr.datasets.RecogLMDBDataset` reads this layout, but a missing label key fails with
``'NoneType' object has no attribute 'decode'`` and a missing image key silently draws another sample.  This
subclass names the file and key instead, and applies ViTSTR's training-data filter (labels with characters outside
the dictionary or longer than ``max_label_length`` are skipped) as a counted, logged skip.

A truncated ``data.mdb`` (a partial copy or download) is memory-mapped by lmdb and kills the process with SIGBUS
on the first read of a missing page; its size is therefore checked against the last page its header names.

lmdb refuses to open one file twice in a process, which a training and a test runner (or two benchmark cells) in
one process would do; the read-only environments are therefore shared per file and closed with their last user.
"""
import os.path as osp
from typing import List, Optional

import mmcv
from mmengine.logging import MMLogger
from mmocr.datasets import RecogLMDBDataset

from visft_mm.registry import DATASETS

_OPEN_ENVS = {}  # real path -> [read-only lmdb environment, number of datasets using it]


@DATASETS.register_module()
class ClovaaiLMDBDataset(RecogLMDBDataset):
    """An LMDB with keys ``num-samples``, ``image-%09d`` and ``label-%09d`` (1-based), as clovaai's
    ``create_lmdb_dataset.py`` writes them.

    Args:
        ann_file: the LMDB folder (``data.mdb`` inside).
        dict_file: a character file as mmocr's ``Dictionary`` reads it (one character per line).  Labels with a
            character outside it are skipped and counted (ViTSTR filters its training data so).  ``None`` keeps every
            label (evaluation, as ViTSTR's ``--data_filtering_off``: the metric compares the strings).
        max_label_length: labels longer than this are skipped and counted (ViTSTR: 25); ``None`` keeps all.
        **kwargs: :class:`~mmocr.datasets.RecogLMDBDataset` arguments.

    ``num_skipped`` holds ``{'unknown_char': n, 'too_long': n}`` after loading.
    """

    def __init__(self, ann_file: str = '', dict_file: Optional[str] = None, max_label_length: Optional[int] = None,
                 **kwargs):
        self.dict_file = dict_file
        self.charset = self._read_charset(dict_file) if dict_file else None
        if max_label_length is not None and max_label_length < 1:
            raise ValueError(f'max_label_length must be >= 1 or None, got {max_label_length}')
        self.max_label_length = max_label_length
        self.num_skipped = dict(unknown_char=0, too_long=0)
        super().__init__(ann_file=ann_file, **kwargs)

    @staticmethod
    def _read_charset(dict_file: str) -> set:
        from mmocr.models.common.dictionary import Dictionary
        return set(Dictionary(dict_file).dict)

    def _make_env(self):
        if hasattr(self, 'env'):
            return
        if not osp.isfile(osp.join(self.ann_file, 'data.mdb')):
            raise FileNotFoundError(f'{self.ann_file}: no LMDB here (expected {self.ann_file}/data.mdb)')
        key = osp.realpath(self.ann_file)
        if key not in _OPEN_ENVS:
            super()._make_env()
            self._check_complete()
            _OPEN_ENVS[key] = [self.env, 0]
        self.env = _OPEN_ENVS[key][0]
        _OPEN_ENVS[key][1] += 1

    def _check_complete(self):
        data = osp.join(self.ann_file, 'data.mdb')
        needed, size = (self.env.info()['last_pgno'] + 1) * self.env.stat()['psize'], osp.getsize(data)
        if size < needed:
            self.env.close()
            raise OSError(f'{data} is truncated: {size} bytes, its pages end at {needed} (a partial copy or '
                          'download? copy it again)')

    def close(self):
        if not hasattr(self, 'env'):
            return
        key = osp.realpath(self.ann_file)
        entry = _OPEN_ENVS.get(key)
        if entry is not None and entry[0] is self.env:
            entry[1] -= 1
            if entry[1] == 0:
                del _OPEN_ENVS[key]
                self.env.close()
        del self.env

    def load_data_list(self) -> List[dict]:
        self._make_env()
        data_list, first_skipped = [], {}
        with self.env.begin(write=False) as txn:
            raw = txn.get(b'num-samples')
            if raw is None:
                raise KeyError(f"{self.ann_file}: no key 'num-samples' (not an LMDB in the clovaai layout)")
            try:
                self.total_number = int(raw.decode('utf-8'))
            except (UnicodeDecodeError, ValueError):
                raise ValueError(f"{self.ann_file}: 'num-samples' is {raw[:40]!r}, not a number") from None
            for index in range(1, self.total_number + 1):
                key = f'label-{index:09d}'
                label = txn.get(key.encode('utf-8'))
                if label is None:
                    raise KeyError(f'{self.ann_file}: missing key {key!r} (num-samples is {self.total_number})')
                text = label.decode('utf-8')
                reason = self._skip_reason(text)
                if reason:
                    self.num_skipped[reason] += 1
                    first_skipped.setdefault(reason, (index, text))
                    continue
                data_list.append(self.parse_data_info((f'image-{index:09d}', text)))
        if first_skipped:
            examples = ', '.join(f'{n} {reason} (first: index {first_skipped[reason][0]} '
                                 f'{first_skipped[reason][1]!r})' for reason, n in self.num_skipped.items() if n)
            MMLogger.get_current_instance().warning(
                f'{self.ann_file}: skipped {sum(self.num_skipped.values())} of {self.total_number} labels: {examples} '
                f'(dict_file={self.dict_file}, max_label_length={self.max_label_length})')
        return data_list

    def _skip_reason(self, text: str) -> Optional[str]:
        if self.charset is not None and not set(text) <= self.charset:
            return 'unknown_char'
        if self.max_label_length is not None and len(text) > self.max_label_length:
            return 'too_long'
        return None

    def parse_data_info(self, raw_anno_info) -> dict:
        data_info = super().parse_data_info(raw_anno_info)
        data_info['img_path'] = osp.join(self.ann_file, data_info['img_key'])  # names the sample in errors / logs
        return data_info

    def prepare_data(self, idx):
        data_info = self.get_data_info(idx)
        with self.env.begin(write=False) as txn:
            img_bytes = txn.get(data_info['img_key'].encode('utf-8'))
        if img_bytes is None:
            raise KeyError(f'{self.ann_file}: missing key {data_info["img_key"]!r} '
                           f'(label {data_info["instances"][0]["text"]!r})')
        data_info['img'] = mmcv.imfrombytes(img_bytes, flag=self.color_type)
        if data_info['img'] is None:
            raise ValueError(f'{self.ann_file}: {data_info["img_key"]!r} is not a decodable image')
        return self.pipeline(data_info)
