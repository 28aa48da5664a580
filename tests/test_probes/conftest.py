import pytest


@pytest.fixture(scope='session')
def goi_workspace(synthetic_data, tmp_path_factory):
    """A folder laid out as the GOI demo config expects: ``data/synthetic/m3it/coco-goi`` (synthetic coco-goi,
    16 classes) and ``data/synthetic/checkpoints`` (the small EVA-CLIP-layout backbone)."""
    from visft_mm.testing.synthetic_goi import generate_goi_data
    root, _ = synthetic_data
    workspace = tmp_path_factory.mktemp('goi_workspace')
    synthetic = workspace / 'data' / 'synthetic'
    synthetic.mkdir(parents=True)
    (synthetic / 'checkpoints').symlink_to(root / 'checkpoints', target_is_directory=True)
    files = generate_goi_data(str(synthetic), num_train=96, num_val=32, seed=0)
    return workspace, files
