"""The one key-diff report every strict loader uses."""
import torch

from visft_mm.checkpoint.keys import key_diff


def test_missing_unexpected_and_mismatched_keys_are_named():
    found = {'a': torch.zeros(2), 'b': torch.zeros(3), 'extra.x': torch.zeros(1)}
    expected = {'a': torch.zeros(2), 'b': torch.zeros(4), 'c': torch.zeros(1), 'head.w': torch.zeros(1)}
    diff = key_diff(found, expected, allow_missing=('head.*',))
    assert diff.missing == ['c'] and diff.unexpected == ['extra.x'] and diff.mismatched == [('b', (3,), (4,))]
    assert str(diff) == 'missing in the file: c; not in the model: extra.x; shape mismatch: b: file (3,) vs model (4,)'
    assert not key_diff(found, dict(expected, b=torch.zeros(3)), ('head.*', 'c'), ('extra.*',))


def test_keys_without_shapes_and_long_lists():
    diff = key_diff([f'k{i}' for i in range(12)], {'k0': (1,)})
    assert diff.unexpected == sorted(f'k{i}' for i in range(1, 12)) and not diff.missing
    assert diff.describe(limit=2, prefix='text.') == 'not in the model: text.k1, text.k10, ... (11 in all)'
    assert not key_diff({'a': torch.zeros(2)}, {'a': torch.Size((2,))})
