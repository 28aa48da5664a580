"""``visft_mm::<path>`` config bases for the configs visft_mm's launcher reads (tools/train.py, tools/test.py,
``python -m visft_mm``, ``visft-train`` / ``visft-test``, ``mim train visft_mm``).

mmengine 0.10.7 resolves ``_base_ = ['<package>::<path>']`` as ``<installed package>/.mim/configs/<path>`` (the
wheel ships visft_mm's configs there), but first asserts that ``<package>`` is one of the OpenMMLab projects in
its table ``mmengine.config.utils.MODULE2PACKAGE`` (mmengine issue #1410; the fix, PR #1411, was not merged).
Adding visft_mm to that table when visft_mm is imported would change mmengine for everything else in the
process, and would come too late anyway (a config's ``custom_imports`` are imported after its bases are read).
So :func:`visft_mm_bases` adds the entry only while our launcher reads a config, and removes it after.
tests/test_packaging.py pins both sides: plain mmengine refuses ``visft_mm::``, our launcher resolves it.
"""
import contextlib

from mmengine.config import utils as config_utils

PACKAGE = 'visft_mm'


@contextlib.contextmanager
def visft_mm_bases():
    """Within the block, ``Config.fromfile`` resolves ``visft_mm::<path>`` bases; mmengine's table is as before
    after it."""
    table = config_utils.MODULE2PACKAGE
    added = PACKAGE not in table
    if added:
        table[PACKAGE] = PACKAGE  # module name -> distribution name: the same for visft_mm
    try:
        yield
    finally:
        if added:
            table.pop(PACKAGE, None)
