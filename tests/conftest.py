import pytest


@pytest.fixture(scope='session')
def synthetic_data(tmp_path_factory):
    """A small synthetic COCO / Karpathy / text-recognition tree shared by the whole session."""
    from visft_mm.datasets import generate_synthetic_data
    root = tmp_path_factory.mktemp('synthetic')
    files = generate_synthetic_data(str(root), num_train=24, num_val=8, num_text_train=20, num_text_test=10,
                                    empty_prob=0.15, crowd_prob=0.3, seed=0)
    return root, files


@pytest.fixture(autouse=True)
def visft_default_scope():
    """Every test starts in visft_mm's registry scope, whichever scope an earlier test switched to."""
    from mmengine.registry import init_default_scope
    init_default_scope('visft_mm')
    yield
