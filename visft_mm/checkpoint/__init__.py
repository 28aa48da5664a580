"""The bottom floor: reading checkpoint files and URLs safely (:mod:`.io`), what checkpoints record of their frozen
backbone and the one weights fingerprint (:mod:`.meta`), the one key-diff report (:mod:`.keys`).

Imports neither :mod:`visft_mm.models` nor :mod:`visft_mm.engine`; both import it.
"""
from .io import (allow_mmengine_checkpoint_globals, is_remote, load_checkpoint_file, load_safetensors,
                 localize_checkpoint)
from .keys import KeyDiff, key_diff
from .fingerprint import file_fingerprint, fingerprints_match, weights_fingerprint

__all__ = ['allow_mmengine_checkpoint_globals', 'is_remote', 'load_checkpoint_file', 'load_safetensors',
           'localize_checkpoint', 'KeyDiff', 'key_diff', 'file_fingerprint', 'fingerprints_match',
           'weights_fingerprint']
