"""visft_mm_bases() lets our launcher read visft_mm:: bases and leaves mmengine's package table as it was
(the end-to-end check with an installed wheel is tests/test_packaging.py)."""
import pytest
from mmengine.config import utils as config_utils

from visft_mm.engine.config_bases import visft_mm_bases


def test_the_package_table_holds_visft_mm_only_inside_the_block():
    table = config_utils.MODULE2PACKAGE
    before = dict(table)
    assert 'visft_mm' not in table  # importing visft_mm changed nothing
    with visft_mm_bases():
        assert table['visft_mm'] == 'visft_mm'
        assert config_utils._get_package_and_cfg_path('visft_mm::visft/stage2_joint.py') == \
            ('visft_mm', 'visft/stage2_joint.py')
    assert table == before
    with pytest.raises(RuntimeError), visft_mm_bases():
        raise RuntimeError('a config that fails to parse')
    assert table == before
