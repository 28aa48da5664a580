"""LAVIS BLIP-2 checkpoint keys <-> mmpretrain's, and the converter tool."""
import importlib.util

import pytest
import torch

from visft_mm.models.weights.eva_formats import CheckpointFormatError
from visft_mm.checkpoint.keys import key_diff
from visft_mm.models.blip2.blip2_weights import lavis_to_mmpretrain, mmpretrain_to_lavis
from visft_mm.registry import MODELS

REPO = __file__.rsplit('/tests/', 1)[0]


@pytest.mark.parametrize('name, projection, lavis_names', [
    ('vqav2_opt2.7b.py', 'opt', {'opt_proj.weight', 'Qformer.bert.encoder.layer.0.crossattention.self.key.weight'}),
    ('retrieval_coco.py', 'qformer', {'vision_proj.weight', 'text_proj.bias', 'itm_head.weight', 'temp',
                                      'Qformer.cls.predictions.decoder.weight'}),
])
def test_lavis_round_trip(tiny_config, tiny_hf_dirs, name, projection, lavis_names):
    torch.manual_seed(0)
    model = MODELS.build(tiny_config(name, tiny_hf_dirs).model)
    state = {k: v for k, v in model.state_dict().items() if not k.startswith('text_backbone.')}
    lavis = mmpretrain_to_lavis(state, projection)
    assert lavis_names <= set(lavis)
    assert {'visual_encoder.blocks.0.attn.qkv.weight', 'visual_encoder.blocks.0.attn.q_bias', 'ln_vision.weight',
            'query_tokens'} <= set(lavis)
    assert not any(k.startswith('visual_encoder.norm.') for k in lavis)  # LAVIS's ViT has no final norm
    back = lavis_to_mmpretrain(lavis, 'tiny')
    diff = key_diff(back, state)
    assert diff.missing == ['vision_backbone.norm.bias', 'vision_backbone.norm.weight']
    assert diff.unexpected == [] and diff.mismatched == []
    for key, value in back.items():
        torch.testing.assert_close(value, state[key], rtol=0, atol=0, msg=key)


def test_unknown_lavis_keys_are_errors():
    with pytest.raises(CheckpointFormatError, match="t5_proj.weight"):
        lavis_to_mmpretrain({'query_tokens': torch.zeros(1), 't5_proj.weight': torch.zeros(1)}, 'x.pth')
    with pytest.raises(CheckpointFormatError, match='map to'):
        lavis_to_mmpretrain({'opt_proj.weight': torch.zeros(1), 'llm_proj.weight': torch.zeros(1)}, 'x.pth')


def _converter():
    spec = importlib.util.spec_from_file_location(
        'blip2_lavis_to_mmpretrain', f'{REPO}/tools/model_converters/blip2_lavis_to_mmpretrain.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_converter_tool_checks_against_the_config(tiny_config, tiny_hf_dirs, tmp_path, capsys):
    """The tool with a tiny config: an exact fit converts; a dropped Q-Former tensor is reported by name."""
    from mmengine.config import Config
    cfg = tiny_config('vqav2_opt2.7b.py', tiny_hf_dirs)
    config = tmp_path / 'tiny_vqa.py'
    Config(cfg.to_dict()).dump(str(config))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    lavis = mmpretrain_to_lavis({k: v for k, v in model.state_dict().items() if not k.startswith('text_backbone.')})
    src, dst, vision = tmp_path / 'lavis.pth', tmp_path / 'mm.pth', tmp_path / 'vision.pth'
    torch.save(dict(model=lavis), src)
    convert = _converter()
    convert([str(src), str(dst), '--config', str(config), '--vision-out', str(vision)])
    assert 'fits the model' in capsys.readouterr().out
    converted = torch.load(dst, weights_only=True)['state_dict']
    assert not any(k.startswith('vision_backbone.') for k in converted)
    model.load_state_dict(converted, strict=False)
    assert set(torch.load(vision, weights_only=True)) >= {'blocks.0.attn.q_proj.weight', 'pos_embed'}

    del lavis['Qformer.bert.encoder.layer.1.output_query.dense.bias']
    torch.save(dict(model=lavis), src)
    with pytest.raises(SystemExit, match='does not fit'):
        convert([str(src), str(dst), '--config', str(config)])
    assert 'missing in the file: 1\n  multimodal_backbone.bert.encoder.layer.1.output_query.dense.bias' in \
        capsys.readouterr().out
