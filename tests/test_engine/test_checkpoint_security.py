"""No checkpoint path of visft_mm runs code from the file: local or over HTTP, heads, load_from, resume."""
import re

import pytest
import torch

from visft_mm.checkpoint import load_checkpoint_file


@pytest.fixture(autouse=True)
def _private_torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))  # downloads stay in the test's folder


@pytest.fixture(params=['local', 'http'])
def crafted_source(request, crafted_checkpoint, http_server):
    """(what the user gives, marker): the crafted file as a path or as a URL of a local HTTP server."""
    path, marker = crafted_checkpoint
    if request.param == 'local':
        return str(path), marker
    return f'{http_server(path.parent)}/{path.name}', marker


def test_the_payload_is_real(crafted_checkpoint):
    """Unpickled the unsafe way, the crafted file does write its marker (so the tests below mean something)."""
    path, marker = crafted_checkpoint
    torch.load(path, weights_only=False)
    assert marker.read_text() == 'code ran'


def test_load_checkpoint_file_refuses(crafted_source):
    source, marker = crafted_source
    with pytest.raises(ValueError, match=re.escape(repr(source)) + '.*not a readable checkpoint'):
        load_checkpoint_file(source)
    assert not marker.exists()


@pytest.mark.parametrize('resume', [False, True], ids=['load_from', 'resume'])
def test_runner_load_from_and_resume_refuse(crafted_source, visft_runner, tmp_path, resume):
    source, marker = crafted_source
    runner = visft_runner(tmp_path / 'work', max_iters=2, load_from=source, resume=resume)
    with pytest.raises(ValueError, match=re.escape(repr(source))):
        runner.train()
    assert not marker.exists()
    assert runner.iter == 0


def _visft_with_head_checkpoint(checkpoint):
    from visft_mm.registry import MODELS
    return MODELS.build(dict(
        type='ViSFT', backbone=dict(type='EVAViT', arch='tiny', out_type='featmap'),
        heads=dict(classify=dict(checkpoint=checkpoint, model=dict(
            type='mmpretrain.ImageClassifier', _scope_='mmpretrain', neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=192))))))


def test_stage1_head_checkpoint_refused(crafted_source):
    source, marker = crafted_source
    model = _visft_with_head_checkpoint(source)
    with pytest.raises(ValueError, match=re.escape(repr(source)) + '.*classify head'):
        model.init_weights()
    assert not marker.exists()


def test_truncated_head_checkpoint_names_file_and_head(tmp_path):
    path = tmp_path / 'head.pth'
    torch.save(dict(state_dict={'head.fc.weight': torch.zeros(3, 192)}), path)
    path.write_bytes(path.read_bytes()[:-200])
    model = _visft_with_head_checkpoint(str(path))
    with pytest.raises(ValueError, match=re.escape(repr(str(path))) + r'.*classify head.*heads\.classify\.checkpoint'
                       '.*not a readable checkpoint'):
        model.init_weights()


def test_a_real_checkpoint_over_http_loads(visft_runner, tmp_path, http_server):
    """The safe path still works: a checkpoint the runner wrote, served over HTTP, is downloaded and loaded."""
    first = visft_runner(tmp_path / 'first', max_iters=2)
    first.train()
    url = f'{http_server(tmp_path / "first")}/iter_2.pth'
    second = visft_runner(tmp_path / 'second', max_iters=3, load_from=url, resume=True)
    second.train()
    assert second.iter == 3
    checkpoint = load_checkpoint_file(url)
    assert checkpoint['meta']['iter'] == 2


def test_evaluation_lora_loader_refuses(crafted_source):
    """``--lora`` / ``EVAPretrained(lora=...)`` / ``eva_convert.py export --lora`` read through ``read_lora``:
    a crafted file, local or behind a URL (downloaded, then read weights-only), is refused naming it."""
    from visft_mm.models.weights.lora_files import read_lora
    source, marker = crafted_source
    with pytest.raises((ValueError, FileNotFoundError), match=re.escape(repr(source))):
        read_lora(source)
    assert not marker.exists()
