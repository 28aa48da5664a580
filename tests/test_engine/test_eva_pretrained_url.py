"""``EVAPretrained(checkpoint=<http URL>)``: the EVA-CLIP file is downloaded and read weights-only, like a local one;
a file that would run code is refused naming the URL, and the code does not run."""
import re

import pytest
import torch
from engine_test_models import WritesFile

from visft_mm.models.backbones import EVAViT
from visft_mm.models.weights import CheckpointFormatError, EVAPretrained
from visft_mm.models.weights.eva_formats import export_state_dict
from visft_mm.models.weights.lora import plain_state


@pytest.fixture(autouse=True)
def _private_torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))  # downloads stay in the test's folder


def test_eva_clip_file_over_http_loads(tmp_path, http_server):
    source = EVAViT('tiny')
    source.init_weights()
    (tmp_path / 'served').mkdir()
    torch.save(export_state_dict(plain_state(source.state_dict()), 'eva_clip'), tmp_path / 'served' / 'eva.pt')
    url = f'{http_server(tmp_path / "served")}/eva.pt'
    model = EVAViT('tiny', init_cfg=dict(type='EVAPretrained', checkpoint=url))
    model.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key


def test_crafted_file_over_http_is_refused_naming_the_url(crafted_checkpoint, http_server):
    path, marker = crafted_checkpoint
    torch.save({'visual.pos_embed': WritesFile(marker)}, path)
    url = f'{http_server(path.parent)}/{path.name}'
    with pytest.raises(CheckpointFormatError, match=re.escape(repr(url)) + '.*not a readable checkpoint'):
        EVAPretrained(checkpoint=url)(EVAViT('tiny'))
    assert not marker.exists()
