"""tools/model_converters/eva_convert.py: import any layout, export merged backbone and LoRA files."""
import os.path as osp
import subprocess
import sys

import torch

from visft_mm.models import EVAViT
from visft_mm.models.weights import eva_formats as W
from visft_mm.models.weights.lora_files import merge_lora_file
from visft_mm.models.weights.lora import merged_plain_state_dict

TOOL = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'model_converters', 'eva_convert.py')


def _run(*args):
    result = subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_import_then_export_with_trained_lora(tmp_path):
    torch.manual_seed(0)
    source = EVAViT('tiny')
    source.init_weights()
    plain = source.state_dict()
    template = W.export_state_dict(plain, 'eva_clip')
    template['text.positional_embedding'] = torch.randn(7, 5)
    template['visual.head.weight'] = torch.randn(16, 192)
    torch.save(template, tmp_path / 'eva_clip.pt')

    _run('import', str(tmp_path / 'eva_clip.pt'), str(tmp_path / 'visft.pth'), '--arch', 'tiny')
    imported = torch.load(tmp_path / 'visft.pth')
    assert all(torch.equal(imported[k], plain[k]) for k in plain)

    # a stage-2 style checkpoint: LoRA keys under the model's 'backbone.' prefix
    trained = EVAViT('tiny', lora=dict(r=8, alpha=1))
    trained.load_state_dict(plain, strict=False)
    with torch.no_grad():
        for name, p in trained.named_parameters():
            if '.lora_' in name:
                p.normal_()
    lora = {f'backbone.{k}': v for k, v in trained.state_dict().items() if '.lora_' in k}
    torch.save(dict(state_dict=lora, meta=dict(iter=5000)), tmp_path / 'iter_5000.pth')

    _run('export', '--arch', 'tiny', '--pretrained', str(tmp_path / 'visft.pth'), '--lora',
         str(tmp_path / 'iter_5000.pth'), '--to', 'eva_clip', '--template', str(tmp_path / 'eva_clip.pt'),
         '--out', str(tmp_path / 'merged.pt'), '--adapter-dir', str(tmp_path / 'adapter'),
         '--official-lora', str(tmp_path / 'official.pt'), '--alpha', '1')
    merged = torch.load(tmp_path / 'merged.pt')
    expected = W.export_state_dict(merged_plain_state_dict(trained), 'eva_clip', template=template)
    assert merged.keys() == expected.keys()
    for key in expected:
        torch.testing.assert_close(merged[key], expected[key], atol=1e-6, rtol=0)
    assert torch.equal(merged['text.positional_embedding'], template['text.positional_embedding'])
    assert osp.isfile(tmp_path / 'adapter' / 'adapter_model.safetensors')

    # the official-layout file imports back to the same merged weights
    again = EVAViT('tiny', lora=dict(r=8, alpha=1))
    again.load_state_dict(plain, strict=False)
    merge_lora_file(again, str(tmp_path / 'official.pt'))
    for key, value in merged_plain_state_dict(again).items():
        torch.testing.assert_close(value, merged_plain_state_dict(trained)[key], atol=1e-6, rtol=0)
