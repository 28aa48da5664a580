"""One schema for what checkpoints record of their frozen backbone; one weights fingerprint; one file fingerprint."""
import pytest
import torch

from visft_mm.checkpoint import meta as M
from visft_mm.checkpoint.fingerprint import file_fingerprint, weights_fingerprint
from visft_mm.models import EVAViT


def test_meta_describes_backbone_and_lora():
    model = EVAViT('tiny', lora=dict(r=4, alpha=1))
    meta = M.describe(model, model)
    assert meta['backbone_arch'] == model.arch and meta['lora'] == dict(r=4, alpha=1, targets=['q_proj', 'v_proj'])
    assert meta['fingerprint_rounding'] == 'bfloat16'
    twin = EVAViT('tiny')
    twin.load_state_dict({k.replace('.base_layer', ''): v for k, v in model.state_dict().items() if 'lora_' not in k})
    assert M.check_backbone(meta, twin, 'x') is True  # the same weights without LoRA layers pass
    assert 'backbone_arch' not in M.describe(model)  # no backbone given: only the frozen weights


def test_fingerprints_of_another_rounding_are_refused_and_other_weights_named():
    model = EVAViT('tiny')
    model.init_weights()
    meta = M.describe(model.requires_grad_(False), model)
    M.check_frozen(meta, model, 'this file')
    with pytest.raises(ValueError, match="other file records fingerprints taken with fingerprint_rounding=None"):
        M.check_backbone({k: v for k, v in meta.items() if k != 'fingerprint_rounding'}, model, 'other file')
    with pytest.raises(ValueError, match='other file was trained on other backbone weights'):
        M.check_backbone(dict(meta, backbone_fingerprint=meta['backbone_fingerprint'] + 1), model, 'other file')


def test_weights_fingerprint_ignores_storage_dtype_not_values():
    weights = [torch.randn(64, 64, generator=torch.Generator().manual_seed(0))]
    assert weights_fingerprint(weights) == weights_fingerprint([w.bfloat16() for w in weights])
    assert weights_fingerprint(weights) != weights_fingerprint([weights[0] * 1.01])


def test_file_fingerprint_of_files_folders_and_lists(tmp_path):
    (tmp_path / 'a.pth').write_bytes(b'abc')
    first = file_fingerprint(str(tmp_path / 'a.pth'))
    (tmp_path / 'a.pth').write_bytes(b'abd')
    assert file_fingerprint(str(tmp_path / 'a.pth')) != first
    (tmp_path / 'dir').mkdir()
    (tmp_path / 'dir' / 'x').write_bytes(b'x')
    assert len(file_fingerprint(str(tmp_path / 'dir'))) == 64
    assert file_fingerprint(str(tmp_path / 'dir')) == file_fingerprint([str(tmp_path / 'dir' / 'x')])
    assert file_fingerprint(None) == 'none'
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        file_fingerprint(str(tmp_path / 'missing.pth'))
