import os

import pytest


@pytest.fixture(scope='session')
def tiny_hf_dirs(tmp_path_factory):
    """Tiny random OPT (with a GPT-2 byte-level tokenizer) and Q-Former BERT folders; HF Hub kept offline."""
    os.environ['HF_HUB_OFFLINE'] = '1'
    os.environ['TRANSFORMERS_OFFLINE'] = '1'
    from visft_mm.testing.tiny_blip2 import write_tiny_blip2_files
    return write_tiny_blip2_files(str(tmp_path_factory.mktemp('hf')))


@pytest.fixture(scope='session')
def tiny_blip2_data(tmp_path_factory):
    """VQAv2-, NoCaps- and COCO-retrieval-layout files and images under one ``data`` root."""
    from visft_mm.testing import tiny_blip2
    root = str(tmp_path_factory.mktemp('data'))
    vqa = tiny_blip2.write_tiny_vqa_data(root)
    return dict(root=root, vqa=vqa, nocaps=tiny_blip2.write_tiny_nocaps_data(root),
                retrieval=tiny_blip2.write_tiny_retrieval_data(root))


@pytest.fixture
def tiny_config():
    """``make(name, dirs, data_root=None)``: configs/blip2/<name> shrunk by ``shrink_blip2_config``."""
    from mmengine.config import Config

    from visft_mm.testing.tiny_blip2 import shrink_blip2_config

    def make(name, dirs, data_root=None):
        cfg = Config.fromfile(os.path.join(os.path.dirname(__file__), '..', '..', 'configs', 'blip2', name))
        return shrink_blip2_config(cfg, dirs, data_root)

    return make
