"""The one report of how a state dict's keys and shapes differ from a model's: missing, unexpected, mismatched.

Every strict loader of visft_mm (EVA-CLIP trunk, text tower, stage-1 heads, LoRA layers, BLIP-2 conversion,
``load_from`` shapes) builds its error from :func:`key_diff`, so the messages read alike and name the keys.
"""
import fnmatch
from dataclasses import dataclass, field
from typing import Iterable, List, Mapping, Union

Keys = Union[Mapping[str, object], Iterable[str]]


@dataclass
class KeyDiff:
    """``missing``: keys the model has and the file lacks; ``unexpected``: the reverse; ``mismatched``:
    ``(key, file shape, model shape)`` for keys in both whose shapes differ."""
    missing: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)
    mismatched: List[tuple] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.mismatched)

    def describe(self, limit: int = 8, prefix: str = '') -> str:
        """``'missing in the file: a, b; not in the model: c; shape mismatch: d: file (2,) vs model (3,)'``
        (at most ``limit`` keys per kind, then the count); ``prefix`` is put before every key shown."""
        parts = []
        mismatched = [f'{prefix}{k}: file {tuple(a)} vs model {tuple(b)}' for k, a, b in self.mismatched]
        for title, keys in (('missing in the file', [prefix + k for k in self.missing]),
                            ('not in the model', [prefix + k for k in self.unexpected]),
                            ('shape mismatch', mismatched)):
            if keys:
                shown = ', '.join(keys[:limit]) + (f', ... ({len(keys)} in all)' if len(keys) > limit else '')
                parts.append(f'{title}: {shown}')
        return '; '.join(parts)

    __str__ = describe


def _shape(value):
    if isinstance(value, tuple):  # a shape itself (torch.Size is a tuple)
        return tuple(value)
    shape = getattr(value, 'shape', None)
    return None if shape is None else tuple(shape)


def _matches(key: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(key, p) for p in patterns)


def key_diff(found: Keys, expected: Keys, allow_missing: Iterable[str] = (),
             allow_unexpected: Iterable[str] = ()) -> KeyDiff:
    """How ``found`` (a file's keys, or its state dict) differs from ``expected`` (the model's).

    Given mappings, values with a ``shape`` (or that are a shape tuple) are compared too.
    ``allow_missing`` / ``allow_unexpected``:
    ``fnmatch`` patterns of keys that may be missing / extra (never excuses a shape mismatch).
    """
    allow_missing, allow_unexpected = tuple(allow_missing), tuple(allow_unexpected)
    found_map = found if isinstance(found, Mapping) else dict.fromkeys(found)
    expected_map = expected if isinstance(expected, Mapping) else dict.fromkeys(expected)
    diff = KeyDiff()
    diff.missing = sorted(k for k in expected_map if k not in found_map and not _matches(k, allow_missing))
    diff.unexpected = sorted(k for k in found_map if k not in expected_map and not _matches(k, allow_unexpected))
    for key in sorted(k for k in found_map if k in expected_map):
        a, b = _shape(found_map[key]), _shape(expected_map[key])
        if a is not None and b is not None and a != b:
            diff.mismatched.append((key, a, b))
    return diff
