"""The one way every evaluation loads a ViSFT LoRA: EVAPretrained(checkpoint=EVA-CLIP file, lora=any form)."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from visft_mm.engine.launch import set_backbone_lora
from visft_mm.models import EVAViT
from visft_mm.models.weights.lora import lora_state_dict
from visft_mm.models.weights.lora_files import LoraFileError, export_lora, read_lora
from visft_mm.registry import MODELS

ROOT = osp.join(osp.dirname(__file__), '..', '..')


def _eval_backbone(eva_file, lora=None, arch='tiny', **init):
    model = MODELS.build(dict(type='EVAViT', arch=arch, out_type='raw', frozen=True,
                              init_cfg=dict(type='EVAPretrained', checkpoint=eva_file, lora=lora, **init)))
    model.init_weights()
    return model.eval()


@pytest.fixture(scope='module')
def trained(stage2_checkpoint, tmp_path_factory):
    """The stage-2 run's backbone (LoRA unmerged), its EVA-CLIP file, and the LoRA exported in the other forms."""
    workspace, checkpoint, model = stage2_checkpoint
    eva_file = str(workspace / 'data' / 'synthetic' / 'checkpoints' / 'eva_vit_tiny_eva_clip.pt')
    out = tmp_path_factory.mktemp('export')
    files = export_lora(model.backbone, adapter_dir=str(out / 'adapter'), official=str(out / 'official.pt'),
                        merged=str(out / 'merged_eva_clip.pt'))
    return model.backbone, eva_file, checkpoint, files


def _raw(backbone, x):
    out_type = backbone.out_type
    backbone.out_type = 'raw'
    try:
        with torch.no_grad():
            return backbone.eval()(x)[0]
    finally:
        backbone.out_type = out_type


@pytest.mark.parametrize('form', ['checkpoint', 'peft', 'official'])
def test_every_form_merges_to_the_unmerged_lora_model(trained, form):
    lora_model, eva_file, checkpoint, files = trained
    path = checkpoint if form == 'checkpoint' else files[form]
    assert read_lora(path).form == form
    x = torch.randn(2, 3, 56, 56, generator=torch.Generator().manual_seed(0))
    merged = _eval_backbone(eva_file, lora=path)
    assert not any('lora_' in k for k in merged.state_dict())  # plain weights: evaluation costs nothing extra
    expected = _raw(lora_model, x)
    torch.testing.assert_close(merged(x)[0], expected, atol=1e-5, rtol=1e-5)
    frozen = _eval_backbone(eva_file)
    assert (frozen(x)[0] - expected).abs().max() > 1e-3  # the LoRA matters: "0k" is another model


def test_merged_export_equals_the_merge_at_load(trained):
    _, eva_file, checkpoint, files = trained
    merged_at_load = _eval_backbone(eva_file, lora=checkpoint)
    exported = _eval_backbone(files['merged'])
    for key, value in merged_at_load.state_dict().items():
        torch.testing.assert_close(exported.state_dict()[key], value, atol=1e-6, rtol=0)


def test_a_lora_model_loads_the_layers_instead(trained):
    lora_model, eva_file, checkpoint, _ = trained
    model = MODELS.build(dict(type='EVAViT', arch='tiny', lora=lora_model.lora_cfg,
                              init_cfg=dict(type='EVAPretrained', checkpoint=eva_file, lora=checkpoint)))
    model.init_weights()
    for key, value in lora_state_dict(lora_model).items():
        assert torch.equal(model.state_dict()[key], value)
    wrong_rank = MODELS.build(dict(type='EVAViT', arch='tiny', lora=dict(r=8, alpha=1),
                                   init_cfg=dict(type='EVAPretrained', checkpoint=eva_file, lora=checkpoint)))
    with pytest.raises(LoraFileError, match=r'(?s)iter_2.pth.*rank'):
        wrong_rank.init_weights()


def test_other_base_weights_or_arch_are_refused(trained, tmp_path):
    _, eva_file, checkpoint, files = trained
    other = EVAViT('tiny')
    torch.manual_seed(123)
    other.init_weights()
    torch.save(other.state_dict(), tmp_path / 'other_eva.pth')
    with pytest.raises(ValueError, match='other backbone weights'):
        _eval_backbone(str(tmp_path / 'other_eva.pth'), lora=checkpoint)
    with pytest.raises(ValueError, match='other backbone weights'):  # our peft export records them too
        _eval_backbone(str(tmp_path / 'other_eva.pth'), lora=files['peft'])
    post = EVAViT('tiny-post')
    post.init_weights()
    torch.save(post.state_dict(), tmp_path / 'post.pth')
    with pytest.raises(ValueError, match='trained on backbone arch'):
        _eval_backbone(str(tmp_path / 'post.pth'), lora=checkpoint, arch='tiny-post')


def test_files_that_do_not_fit_name_themselves(trained, tmp_path):
    _, eva_file, _, files = trained
    official = torch.load(files['official'])
    official.pop('visual.blocks.3.attn.qkv.lora_A')
    torch.save(official, tmp_path / 'three_blocks.pt')
    with pytest.raises(LoraFileError, match=r'three_blocks.pt.*missing in the file: blocks\.3\.attn\.q_proj\.lora_A'):
        _eval_backbone(eva_file, lora=str(tmp_path / 'three_blocks.pt'))
    torch.save({'visual.pos_embed': torch.zeros(1)}, tmp_path / 'no_lora.pt')
    with pytest.raises(LoraFileError, match='no_lora.pt.*holds no LoRA weights'):
        read_lora(str(tmp_path / 'no_lora.pt'))
    with pytest.raises(FileNotFoundError, match='missing.pt'):
        read_lora(str(tmp_path / 'missing.pt'))
    with pytest.raises(LoraFileError, match='adapter_config.json'):
        read_lora(str(tmp_path))


def test_mmengine_pretrained_is_refused_with_the_new_name():
    with pytest.raises(ValueError, match="type='EVAPretrained'"):
        EVAViT('tiny', init_cfg=dict(type='Pretrained', checkpoint='x.pt'))


def test_lora_freezes_the_base_unless_asked():
    only_lora = EVAViT('tiny', lora=dict(r=4))
    assert all(('.lora_' in n) == p.requires_grad for n, p in only_lora.named_parameters())
    both = EVAViT('tiny', lora=dict(r=4), frozen=False)
    assert all(p.requires_grad for p in both.parameters())
    assert all(p.requires_grad for p in EVAViT('tiny').parameters())


def test_lora_option_sets_the_one_eva_initializer():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'visft', 'stage1_detr_eva_g.py'))
    set_backbone_lora(cfg, 'iter_5000.pth')
    assert cfg.model.backbone.init_cfg.lora == 'iter_5000.pth'
    with pytest.raises(SystemExit, match='exactly one'):
        set_backbone_lora(Config(dict(model=dict(type='X'))), 'iter_5000.pth')


def test_converter_exports_a_real_stage2_checkpoint(trained, tmp_path):
    """The README's export command on a checkpoint the project wrote itself (HistoryBuffer and all)."""
    _, eva_file, checkpoint, _ = trained
    result = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools', 'model_converters', 'eva_convert.py'), 'export', '--arch', 'tiny',
         '--pretrained', eva_file, '--lora', checkpoint, '--out', str(tmp_path / 'merged.pt'),
         '--adapter-dir', str(tmp_path / 'adapter'), '--official-lora', str(tmp_path / 'official.pt')],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    merged = _eval_backbone(eva_file, lora=checkpoint)
    exported = _eval_backbone(str(tmp_path / 'merged.pt'))
    for key, value in merged.state_dict().items():
        torch.testing.assert_close(exported.state_dict()[key], value, atol=1e-6, rtol=0)
