"""EVAViT: numerical equivalence with timm's Eva, every weight format, LoRA behaviour, export, bad input."""
import json

import pytest
import torch
from timm.models.eva import Eva

from visft_mm.models import EVAViT
from visft_mm.models.weights import eva_formats as W
from visft_mm.models.weights.lora_files import merge_lora_file
from visft_mm.models.weights.lora import (lora_state_dict, merged_plain_state_dict, save_peft_adapter, set_merged)
from visft_mm.registry import MODELS

TINY = dict(embed_dims=64, num_layers=3, num_heads=4, feedforward_channels=160)


def _timm_eva(post_norm, seed=0, img_size=224):
    """timm's Eva with TINY's shape and every weight (biases and norms included) random."""
    torch.manual_seed(seed)
    model = Eva(img_size=img_size, patch_size=14, embed_dim=TINY['embed_dims'], depth=TINY['num_layers'],
                num_heads=TINY['num_heads'], mlp_ratio=TINY['feedforward_channels'] / TINY['embed_dims'],
                use_post_norm=post_norm, global_pool='token', num_classes=0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model.eval()


def _ours(post_norm, **kwargs):
    return EVAViT(arch=dict(TINY, post_norm=post_norm), out_type='raw', **kwargs).eval()


@pytest.fixture(params=[False, True], ids=['pre-norm', 'post-norm'])
def timm_pair(request):
    timm_model = _timm_eva(request.param)
    ours = _ours(request.param)
    W.load_eva_weights(ours, timm_model.state_dict())
    return timm_model, ours


@pytest.mark.parametrize('size', [(224, 224), (308, 280), (200, 230)])
def test_matches_timm_eva(timm_pair, size):
    """At 224 px against timm as is.  At other sizes timm resamples the position embedding with antialiased
    bicubic (a different cubic kernel); ours follows EVA's ``interpolate_pos_embed`` (plain bicubic), so timm gets
    our resized embedding and must then agree on everything else, bottom/right padding to 14 included."""
    timm_model, ours = timm_pair
    x = torch.randn(2, 3, *size)
    padded = (size[0] + -size[0] % 14, size[1] + -size[1] % 14)
    if size != (224, 224):
        resized = _timm_eva(timm_model.blocks[0].__class__.__name__ == 'EvaBlockPostNorm', img_size=padded)
        state = dict(timm_model.state_dict(), pos_embed=ours.resized_pos_embed((padded[0] // 14, padded[1] // 14)))
        resized.load_state_dict(state)
        timm_model = resized
    with torch.no_grad():
        expected = timm_model.forward_features(torch.nn.functional.pad(x, (0, padded[1] - size[1], 0,
                                                                           padded[0] - size[0])))
        (got, ) = ours(x)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)


def _formats(timm_state):
    """The same weights in every supported on-disk layout, inside the usual wrappers."""
    text_tower = {'text.token_embedding.weight': torch.randn(10, 8), 'logit_scale': torch.tensor(4.6)}
    head = {'head.weight': torch.randn(32, TINY['embed_dims'])}
    trunk = dict(timm_state, **head)
    return {
        'eva_clip': dict({f'visual.{k}': v for k, v in trunk.items()}, **text_tower),
        'open_clip': {'state_dict': dict({f'visual.trunk.{k}': v for k, v in trunk.items()}, **text_tower)},
        'timm': {'model': trunk},
        'lavis': {'model': {k: v for k, v in timm_state.items() if not k.startswith('norm.')}},
    }


@pytest.mark.parametrize('fmt', ['eva_clip', 'open_clip', 'timm', 'lavis', 'visft_mm'])
def test_every_format_loads_to_the_same_model(tmp_path, fmt):
    timm_model = _timm_eva(post_norm=False)
    reference = _ours(False)
    W.load_eva_weights(reference, timm_model.state_dict())
    files = _formats(timm_model.state_dict())
    files['visft_mm'] = {'module': reference.state_dict()}
    path = str(tmp_path / f'{fmt}.pth')
    torch.save(files[fmt], path)
    kwargs = dict(allow_missing=('norm.*', )) if fmt == 'lavis' else {}
    model = _ours(False, final_norm=fmt != 'lavis')
    assert W.load_eva_weights(model, path, **kwargs) == fmt
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        if fmt == 'lavis':  # no final norm in LAVIS files: compare before the norm
            reference.final_norm = False
        torch.testing.assert_close(model(x)[0], reference(x)[0], atol=0, rtol=0)


def test_pretrained_init_cfg_through_the_registry(tmp_path):
    timm_model = _timm_eva(post_norm=True)
    path = str(tmp_path / 'eva_clip.pt')
    torch.save(_formats(timm_model.state_dict())['eva_clip'], path)
    model = MODELS.build(dict(type='EVAViT', arch=dict(TINY, post_norm=True), out_type='raw',
                              init_cfg=dict(type='EVAPretrained', checkpoint=path)))
    model.init_weights()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(model.eval()(x)[0], timm_model.forward_features(x), atol=1e-5, rtol=1e-5)


def test_pos_embed_of_another_size_is_resized():
    model = _ours(False)
    state = {k: v for k, v in model.state_dict().items()}
    state['pos_embed'] = torch.randn(1, 1 + 24 * 24, TINY['embed_dims'])  # a 336-px checkpoint
    W.load_eva_weights(model, state)
    assert model.pos_embed.shape == (1, 1 + 16 * 16, TINY['embed_dims'])


@pytest.mark.parametrize('fmt', ['eva_clip', 'open_clip', 'timm', 'visft_mm'])
def test_export_import_round_trip_is_exact(fmt):
    model = _ours(True)
    model.init_weights()
    plain = merged_plain_state_dict(model)
    exported = W.export_state_dict(plain, fmt)
    back, detected = W.convert_to_evavit(exported)
    assert detected == fmt
    assert back.keys() == plain.keys()
    assert all(torch.equal(back[k], plain[k]) for k in plain)


def test_export_into_full_eva_clip_checkpoint_keeps_text_tower_and_head():
    timm_model = _timm_eva(post_norm=False)
    template = _formats(timm_model.state_dict())['eva_clip']
    model = _ours(False, lora=dict(r=4, alpha=1))
    W.load_eva_weights(model, template)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if 'lora_B' in name:
                p.normal_()
    out = W.export_state_dict(merged_plain_state_dict(model), 'eva_clip', template=template)
    assert out.keys() == template.keys()
    for key in ('text.token_embedding.weight', 'logit_scale', 'visual.head.weight', 'visual.blocks.0.attn.proj.weight'):
        assert torch.equal(out[key], template[key])
    assert not torch.equal(out['visual.blocks.0.attn.qkv.weight'], template['visual.blocks.0.attn.qkv.weight'])
    # k rows are not touched by a LoRA on q and v
    D = TINY['embed_dims']
    torch.testing.assert_close(out['visual.blocks.0.attn.qkv.weight'][D:2 * D],
                               template['visual.blocks.0.attn.qkv.weight'][D:2 * D], atol=0, rtol=0)


# --------------------------------------------------------------------------------------------------------- LoRA
def _lora_model(seed=0, r=4):
    torch.manual_seed(seed)
    base = _ours(False)
    base.init_weights()
    lora = _ours(False, lora=dict(r=r, alpha=1), frozen=True)
    lora.load_state_dict(base.state_dict(), strict=False)
    return base, lora


def test_lora_with_zero_b_changes_nothing():
    base, lora = _lora_model()
    assert all(torch.count_nonzero(v) == 0 for k, v in lora_state_dict(lora).items() if 'lora_B' in k)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(lora(x)[0], base(x)[0], atol=0, rtol=0)


def test_lora_scaling_is_alpha_over_r():
    _, lora = _lora_model(r=64)
    layer = lora.blocks[0].attn.q_proj
    assert layer.scaling['default'] == pytest.approx(1 / 64)


def test_only_lora_gets_gradients_and_merging_matches():
    base, lora = _lora_model()
    lora.train()
    optimizer = torch.optim.SGD([p for p in lora.parameters() if p.requires_grad], lr=0.5)
    before = {k: v.clone() for k, v in lora.state_dict().items()}
    readout = torch.randn(1, 1 + 8 * 8, TINY['embed_dims'])  # the final LayerNorm makes mean(x^2) constant
    for _ in range(3):
        optimizer.zero_grad()
        (lora(torch.randn(2, 3, 112, 112))[0] * readout).sum().backward()
        for name, p in lora.named_parameters():
            assert (p.grad is not None) == ('.lora_' in name), name
        optimizer.step()
    after = lora.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed and all('.lora_' in k for k in changed)
    assert any('lora_A' in k for k in changed) and any('lora_B' in k for k in changed)

    lora.eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        unmerged = lora(x)[0]
        set_merged(lora, True)
        merged = lora(x)[0]
        set_merged(lora, False)
        torch.testing.assert_close(merged, unmerged, atol=1e-5, rtol=1e-5)
        # the merged weights exported into a plain (LoRA-free) model give the same function
        plain = _ours(False)
        plain.load_state_dict(merged_plain_state_dict(lora))
        torch.testing.assert_close(plain(x)[0], unmerged, atol=1e-5, rtol=1e-5)
        assert not torch.allclose(unmerged, base(x)[0], atol=1e-4)


def test_frozen_without_lora_has_no_trainable_weights():
    model = _ours(False, frozen=True)
    assert not any(p.requires_grad for p in model.parameters())


def test_with_cp_gives_the_same_gradients():
    _, plain = _lora_model(seed=1)
    _, checkpointed = _lora_model(seed=1)
    checkpointed.with_cp = True
    for model in (plain, checkpointed):
        model.train()
        torch.manual_seed(3)
        with torch.no_grad():
            for name, p in model.named_parameters():
                if 'lora_B' in name:
                    p.normal_()
        model(torch.randn(1, 3, 112, 112, generator=torch.Generator().manual_seed(0)))[0].sum().backward()
    for (name, a), (_, b) in zip(plain.named_parameters(), checkpointed.named_parameters()):
        if a.requires_grad:
            torch.testing.assert_close(a.grad, b.grad, atol=1e-5, rtol=1e-5)


def test_official_visft_lora_import_gives_loralib_merge(tmp_path):
    r, D, alpha = 4, TINY['embed_dims'], 1.0
    torch.manual_seed(0)
    base, lora = _lora_model(r=r)
    official = {}
    for block in range(TINY['num_layers']):  # B before A: the rank must not be read off whichever comes first
        official[f'visual.blocks.{block}.attn.qkv.lora_B'] = torch.randn(2 * D, r)
        official[f'visual.blocks.{block}.attn.qkv.lora_A'] = torch.randn(2 * r, D)
    path = str(tmp_path / 'visft_lora.pt')
    torch.save(official, path)
    merge_lora_file(lora, path)
    exported = W.export_state_dict(merged_plain_state_dict(lora), 'eva_clip')
    reference = W.export_state_dict(merged_plain_state_dict(base), 'eva_clip')
    for block in range(TINY['num_layers']):
        A = official[f'visual.blocks.{block}.attn.qkv.lora_A']
        B = official[f'visual.blocks.{block}.attn.qkv.lora_B']
        delta = torch.zeros(3 * D, D)  # loralib MergedLinear, enable_lora=[True, False, True]
        delta[:D] = B[:D] @ A[:r] * (alpha / r)
        delta[2 * D:] = B[D:] @ A[r:] * (alpha / r)
        key = f'visual.blocks.{block}.attn.qkv.weight'
        torch.testing.assert_close(exported[key], reference[key] + delta, atol=1e-5, rtol=1e-5)
    # and back to the official layout, exactly
    back = W.peft_lora_to_official(lora_state_dict(lora))
    assert set(back) == set(official) and all(torch.equal(back[k], official[k]) for k in official)


def test_peft_adapter_folder_loads_with_peft(tmp_path):
    from peft import PeftModel
    base, lora = _lora_model()
    with torch.no_grad():
        for name, p in lora.named_parameters():
            if 'lora_B' in name:
                p.normal_()
    save_peft_adapter(lora, str(tmp_path / 'adapter'))
    config = json.loads((tmp_path / 'adapter' / 'adapter_config.json').read_text())
    assert config['r'] == 4 and config['lora_alpha'] == 1 and set(config['target_modules']) == {'q_proj', 'v_proj'}
    reloaded = PeftModel.from_pretrained(base, str(tmp_path / 'adapter')).eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(reloaded(x)[0], lora.eval()(x)[0], atol=1e-6, rtol=1e-6)


def test_paper_parameter_counts_on_meta_device():
    with torch.device('meta'):
        counts = {}
        for arch in ('eva-g', 'eva-e'):
            model = EVAViT(arch, lora=dict(r=64, alpha=1, targets=('q_proj', 'v_proj')))
            counts[arch] = (sum(p.numel() for n, p in model.named_parameters() if '.lora_' not in n),
                            sum(p.numel() for n, p in model.named_parameters() if '.lora_' in n))
    assert 0.95e9 < counts['eva-g'][0] < 1.05e9  # paper Table 2: 1.0 B
    assert 4.3e9 < counts['eva-e'][0] < 4.45e9  # paper Table 2: 4.4 B
    assert counts['eva-g'][1] == 14_417_920
    assert counts['eva-e'][1] == 29_360_128  # paper: 29.4 M


# ---------------------------------------------------------------------------------------------------- bad input
def test_unknown_arch_is_named():
    with pytest.raises(ValueError, match="unknown EVAViT arch 'eva-x'"):
        EVAViT('eva-x')


def test_lora_target_matching_nothing_is_named():
    with pytest.raises(ValueError, match="LoRA target 'qkv' matches no nn.Linear"):
        EVAViT(arch=TINY, lora=dict(r=4, targets=('q_proj', 'qkv')))


@pytest.mark.parametrize('arch, message', [
    (dict(TINY, embed_dims=96, num_heads=4), 'shape mismatch: blocks.0'),
    (dict(TINY, num_layers=4), r'missing in the file: blocks\.3\.'),
    (dict(TINY, num_layers=2), r'not in the model: blocks\.2\.'),
])
def test_checkpoint_of_wrong_width_or_depth_is_named(tmp_path, arch, message):
    path = str(tmp_path / 'timm.pth')
    torch.save(_timm_eva(False).state_dict(), path)
    with pytest.raises(W.CheckpointFormatError, match=message) as info:
        W.load_eva_weights(EVAViT(arch=arch), path)
    assert 'timm.pth' in str(info.value)


def test_file_that_is_not_a_checkpoint_is_named(tmp_path):
    text = tmp_path / 'notes.txt'
    text.write_text('not a checkpoint')
    with pytest.raises(W.CheckpointFormatError, match='notes.txt.*not a readable checkpoint'):
        W.load_eva_weights(EVAViT(arch=TINY), str(text))
    other = tmp_path / 'other.pth'
    torch.save({'weight': torch.zeros(3)}, other)
    with pytest.raises(W.CheckpointFormatError, match='other.pth.*not an EVA-CLIP vision checkpoint'):
        W.load_eva_weights(EVAViT(arch=TINY), str(other))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        W.load_eva_weights(EVAViT(arch=TINY), str(tmp_path / 'missing.pth'))


def test_output_types_and_indices():
    model = EVAViT(arch=TINY, out_indices=(0, -1)).eval()
    feats = model(torch.randn(2, 3, 140, 196))
    assert [f.shape for f in feats] == [(2, 64, 10, 14)] * 2
    cls = EVAViT(arch=TINY, out_type='cls_token')(torch.randn(2, 3, 224, 224))[0]
    assert cls.shape == (2, 64)
    with pytest.raises(ValueError, match='out_index 5 is out of range'):
        EVAViT(arch=TINY, out_indices=5)
