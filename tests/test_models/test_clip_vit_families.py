"""CLIPViT families (EVA02-CLIP-L, OpenAI CLIP L/14, SigLIP So400m) against open_clip's and timm's own tiny models:
strict loading of both layouts, embeddings equal to open_clip's, export back to the same files, LoRA through peft."""
import open_clip
import pytest
import torch
import torch.nn.functional as F
from open_clip.factory import load_checkpoint

from visft_mm.models.weights.eva_formats import CheckpointFormatError
from visft_mm.models.weights.lora import merged_plain_state_dict, plain_state
from visft_mm.models.weights.lora_files import export_lora
from visft_mm.registry import MODELS
from visft_mm.testing.clip_families import (CLIPVIT_ARCHS, FAMILIES, build_family_open_clip, family_clip_config,
                                            timm_trunk, write_family_files)

TEXTS = ['a photo of a circle.', 'two red squares and a star on a gray background', 'x']


@pytest.fixture(scope='module')
def family_files(tmp_path_factory):
    root = tmp_path_factory.mktemp('clip_families')
    return {family: write_family_files(family, str(root), seed=index) for index, family in enumerate(FAMILIES)}


def _backbone(family, checkpoint, out_type='pooled', lora_file=None, **kwargs):
    cfg = dict(type='CLIPViT', arch=CLIPVIT_ARCHS[family], out_type=out_type,
               init_cfg=dict(type='EVAPretrained', checkpoint=checkpoint, lora=lora_file), **kwargs)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.eval()


def _open_clip_reference(family, path, seed=99):
    reference = build_family_open_clip(family, seed=seed)  # other weights until loaded
    assert not load_checkpoint(reference, path, strict=True).missing_keys
    return reference.eval()


def _images(n=2, size=224):
    return torch.randn(n, 3, size, size, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize('family', FAMILIES)
def test_embeddings_equal_open_clip(family_files, family):
    """ZeroShotCLIP with a CLIPViT tower, its projection and the family's text tower + tokenizer through open_clip,
    all read from the open_clip file, equals open_clip's model loaded from that file (strictly)."""
    path = family_files[family]['open_clip']
    reference = _open_clip_reference(family, path)
    ours = MODELS.build(dict(type='ZeroShotCLIP', text_model=family_clip_config(family), backbone=dict(
        type='CLIPViT', arch=CLIPVIT_ARCHS[family], out_type='pooled',
        init_cfg=dict(type='EVAPretrained', checkpoint=path, lora=None))))
    ours.init_weights()
    ours.eval()
    tokens = open_clip.tokenizer.SimpleTokenizer()(TEXTS)
    with torch.no_grad():
        torch.testing.assert_close(ours.encode_image(_images()), reference.encode_image(_images(), normalize=True),
                                   rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(ours.encode_text(TEXTS), reference.encode_text(tokens, normalize=True),
                                   rtol=1e-5, atol=1e-5)
    assert ours.logit_scale.item() == pytest.approx(reference.logit_scale.item())


@pytest.mark.parametrize('family', FAMILIES)
def test_timm_file_equals_timm_and_the_open_clip_file(family_files, family):
    """The timm-layout file (made by timm itself for OpenAI) loads strictly; the pooled feature equals timm's
    pre-logits and the open_clip file's tower; the feature map is the patch grid at any size."""
    paths = family_files[family]
    trunk = timm_trunk(family, build_family_open_clip(family, seed=FAMILIES.index(family)))
    from_timm, from_open_clip = _backbone(family, paths['timm']), _backbone(family, paths['open_clip'])
    with torch.no_grad():
        expected = trunk.forward_head(trunk.forward_features(_images()), pre_logits=True)
        torch.testing.assert_close(from_timm(_images())[-1], expected, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(from_open_clip(_images())[-1], expected, rtol=1e-5, atol=1e-5)
        from_timm.out_type = 'featmap'
        assert from_timm(_images(1, 100))[-1].shape == (1, 64, 8, 8)  # padded to 112 px: 8 x 8 patches


@pytest.mark.parametrize('family', FAMILIES)
@pytest.mark.parametrize('layout', ['open_clip', 'timm'])
def test_export_writes_the_same_file(family_files, family, layout):
    """Load, export in the same layout (the file as template for what is not the trunk): the very same tensors."""
    path = family_files[family][layout]
    original = torch.load(path, weights_only=True)
    backbone = _backbone(family, path)
    exported = backbone.export_checkpoint(plain_state(backbone.state_dict()), layout, template=original)
    assert sorted(exported) == sorted(original)
    for key, value in original.items():
        assert torch.equal(exported[key], value), key
    # without a template: the trunk's keys only (no text tower, projection or logit scale)
    trunk_only = backbone.export_checkpoint(plain_state(backbone.state_dict()), layout)
    assert set(trunk_only) <= set(original) and not any(k.startswith(('text.', 'logit')) for k in trunk_only)


@pytest.mark.parametrize('family', FAMILIES)
def test_safetensors_files_load_as_their_torch_files(family_files, family, tmp_path):
    """The hub's ``open_clip_model.safetensors`` / timm ``model.safetensors`` of the same weights: the same tower
    (the layout is read from the keys, as for ``.bin``)."""
    from safetensors.torch import save_file
    with torch.no_grad():
        for layout in ('open_clip', 'timm'):
            state = torch.load(family_files[family][layout], weights_only=True)
            path = tmp_path / f'{layout}.safetensors'
            save_file({k: v.contiguous().clone() for k, v in state.items()}, str(path))
            expected = _backbone(family, family_files[family][layout])(_images())[-1]
            assert torch.equal(_backbone(family, str(path))(_images())[-1], expected), layout


@pytest.mark.parametrize('family', FAMILIES)
def test_loading_is_strict(family_files, family, tmp_path):
    state = torch.load(family_files[family]['timm'], weights_only=True)
    dropped = next(k for k in state if k.startswith('blocks.1.') and k.endswith('norm1.weight'))
    broken = {k: v for k, v in state.items() if k != dropped}
    torch.save(broken, tmp_path / 'missing.pt')
    with pytest.raises(CheckpointFormatError, match=r'missing in the file: blocks\.1\.norm1\.weight'):
        _backbone(family, str(tmp_path / 'missing.pt'))
    torch.save(dict(state, **{'blocks.0.attn.extra': torch.zeros(1)}), tmp_path / 'extra.pt')
    with pytest.raises(CheckpointFormatError, match=r'not in the model: blocks\.0\.attn\.extra'):
        _backbone(family, str(tmp_path / 'extra.pt'))
    other = 'openai' if family != 'openai' else 'siglip'
    with pytest.raises(CheckpointFormatError):
        _backbone(other, family_files[family]['timm'])


def test_siglip_has_no_class_token_to_read():
    with pytest.raises(ValueError, match="out_type='pooled'"):
        MODELS.build(dict(type='CLIPViT', arch='siglip-tiny', out_type='cls_token'))


def test_custom_archs_start_from_a_family():
    tanh = MODELS.build(dict(type='CLIPViT', arch=dict(base='siglip-tiny', act='gelu_tanh')))
    assert tanh.blocks[0].mlp.act.approximate == 'tanh' and tanh.arch['pool'] == 'map'
    with pytest.raises(ValueError, match=r"unknown keys \['activation'\]"):
        MODELS.build(dict(type='CLIPViT', arch=dict(base='siglip-tiny', activation='gelu_tanh')))
    with pytest.raises(ValueError, match='naming a family'):
        MODELS.build(dict(type='CLIPViT', arch=dict(embed_dims=64)))


def test_a_file_of_another_family_is_named(family_files):
    siglip = family_files['siglip']['open_clip']
    model = MODELS.build(dict(type='CLIPViT', arch='openai-tiny'))
    with pytest.raises(CheckpointFormatError, match=r"vision projection \['visual.proj'\] is missing"):
        model.split_clip_state(torch.load(siglip, weights_only=True), siglip)


@pytest.mark.parametrize('family', FAMILIES)
def test_lora_round_trips_through_peft_and_the_export(family_files, family, tmp_path):
    """A q/v LoRA (B made non-zero) on the family's tower: the peft folder merged at load, the merged export read
    by open_clip, and peft's own PeftModel on the plain tower all equal the unmerged LoRA model."""
    from peft import PeftModel
    path = family_files[family]['open_clip']
    lora = _backbone(family, path, lora=dict(r=4, alpha=8))
    assert {n.split('.')[-4] for n, p in lora.named_parameters() if p.requires_grad} == {'q_proj', 'v_proj'}
    with torch.no_grad():
        for name, param in lora.named_parameters():
            if 'lora_B' in name:
                param.normal_(0, 0.05, generator=torch.Generator().manual_seed(len(name)))
        unmerged = lora(_images())[-1]
    files = export_lora(lora, adapter_dir=str(tmp_path / 'adapter'), merged=str(tmp_path / 'merged.pt'),
                        fmt='open_clip', template=torch.load(path, weights_only=True))

    merged_at_load = _backbone(family, path, lora_file=files['peft'])
    from_export = _backbone(family, files['merged'])
    reference = _open_clip_reference(family, files['merged'])
    plain = _backbone(family, path)
    with torch.no_grad():
        assert (unmerged - plain(_images())[-1]).abs().max() > 1e-3  # the LoRA changes the feature
    plain_keys = plain_state(plain.state_dict()).keys()
    peft_model = PeftModel.from_pretrained(plain, files['peft']).eval()  # wraps ``plain`` in place
    projection = MODELS.build(dict(type='CLIPViT', arch=CLIPVIT_ARCHS[family])).build_clip_projection(
        family_clip_config(family)['embed_dim'])
    parts = plain.split_clip_state(torch.load(path, weights_only=True), path)
    projection.load_state_dict(parts['head'])
    with torch.no_grad():
        for other in (merged_at_load(_images())[-1], from_export(_images())[-1], peft_model(_images())[-1]):
            torch.testing.assert_close(other, unmerged, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(reference.encode_image(_images(), normalize=True),
                                   F.normalize(projection(unmerged), dim=-1), rtol=1e-5, atol=1e-5)
    assert merged_plain_state_dict(lora).keys() == plain_keys


@pytest.mark.parametrize('arch', sorted(CLIPVIT_ARCHS.values()))
def test_flop_and_parameter_counts_know_each_family(arch):
    """The analytic estimators read CLIPViT's arch rows: forward FLOPs equal torch's counter (the feature map, as
    stage 2 runs it), parameter counts equal the module's."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    from visft_mm.analysis.eva_flops import eva_step_flops
    from visft_mm.analysis.eva_memory import eva_param_counts
    model = MODELS.build(dict(type='CLIPViT', arch=arch, frozen=True, lora=dict(r=4, alpha=1))).eval()
    with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(torch.randn(2, 3, 28, 42))
    assert counter.get_total_flops() == eva_step_flops(model.arch, (28, 42), 2, lora_rank=4,
                                                       trainable='none').forward
    counts = eva_param_counts(model.arch, lora_rank=4)
    linears = sum(p.numel() for n, p in model.blocks.named_parameters()
                  if '.lora_' not in n and any(f'.{m}.' in n for m in ('q_proj', 'k_proj', 'v_proj', 'proj', 'fc1',
                                                                      'fc1_g', 'fc1_x', 'fc2')))
    total = sum(p.numel() for n, p in model.named_parameters() if '.lora_' not in n)
    assert counts['block_linear'] == linears and counts['other'] == total - linears
    assert counts['lora'] == sum(p.numel() for n, p in model.named_parameters() if '.lora_' in n)


@pytest.mark.parametrize('family', FAMILIES)
def test_bf16_frozen_storage_and_checkpointing(family_files, family):
    """frozen_dtype='bfloat16' stores the blocks' frozen linears in bf16 (LoRA fp32) and stays near the fp32 tower;
    with_cp gives the same LoRA gradients."""
    path = family_files[family]['open_clip']
    fp32 = _backbone(family, path, lora=dict(r=4, alpha=8))
    bf16 = _backbone(family, path, lora=dict(r=4, alpha=8), frozen=True, frozen_dtype='bfloat16')
    assert bf16.blocks[0].mlp.fc2.weight.dtype == torch.bfloat16
    assert bf16.blocks[0].attn.q_proj.lora_A.default.weight.dtype == torch.float32
    with torch.no_grad():
        torch.testing.assert_close(bf16(_images())[-1].float(), fp32(_images())[-1], rtol=0.05, atol=0.05)
    grads = []
    for with_cp in (False, True):
        torch.manual_seed(0)  # the same LoRA A (peft draws it)
        model = _backbone(family, path, lora=dict(r=4, alpha=8), with_cp=with_cp).train()
        model(_images(1))[-1].square().sum().backward()
        grads.append(model.blocks[0].attn.v_proj.lora_B.default.weight.grad)
    torch.testing.assert_close(grads[0], grads[1])
