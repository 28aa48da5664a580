"""The [CLS] attention of Fig. 3: recomputed from a hooked block input, checked against a plain softmax."""
import math

import pytest
import torch
import torch.nn.functional as F

from visft_mm.models import EVAViT
from visft_mm.models.backbones import cls_attention
from visft_mm.models.weights.lora import lora_layers


def _reference_cls_attention(model: EVAViT, images: torch.Tensor) -> torch.Tensor:
    """softmax(q k^T / sqrt(d)) of the last block, from its input computed independently of the hook: the output
    of the block before it (``out_type='raw'``), normalised as the block does, and explicit matrix products."""
    trunk = EVAViT(arch=dict(model.arch), out_type='raw', out_indices=-2, frozen=True, lora=model.lora_cfg)
    trunk.load_state_dict(model.state_dict())
    x = trunk(images)[0]
    block = model.blocks[-1]
    x = x if block.post_norm else block.norm1(x)
    attn = block.attn
    B, N, C = x.shape
    d = C // attn.num_heads
    base_q = getattr(attn.q_proj, 'base_layer', attn.q_proj)  # peft keeps the plain layer as base_layer
    q = x @ base_q.weight.T + base_q.bias
    if hasattr(attn.q_proj, 'lora_A'):  # the LoRA delta, written out
        layer = attn.q_proj
        q = q + (x @ layer.lora_A['default'].weight.T @ layer.lora_B['default'].weight.T) * layer.scaling['default']
    k = x @ attn.k_proj.weight.T
    q = q.view(B, N, attn.num_heads, d).transpose(1, 2)
    k = k.view(B, N, attn.num_heads, d).transpose(1, 2)
    scores = torch.einsum('bhqd,bhkd->bhqk', q, k) / math.sqrt(d)
    return scores.softmax(-1)[:, :, 0]


@pytest.mark.parametrize('arch', ['tiny', 'tiny-post'])
def test_cls_attention_matches_plain_softmax(arch):
    torch.manual_seed(0)
    model = EVAViT(arch, out_type='cls_token', frozen=True)
    model.init_weights()
    model.eval()
    images = torch.randn(2, 3, 70, 98)  # a 5 x 7 patch grid
    out_before = model(images)[0]
    result = cls_attention(model, images)
    assert result.grid_hw == (5, 7)
    assert result.weights.shape == (2, 3, 1 + 35)
    torch.testing.assert_close(result.weights.sum(-1), torch.ones(2, 3), atol=1e-5, rtol=0)
    torch.testing.assert_close(result.weights, _reference_cls_attention(model, images), atol=1e-5, rtol=1e-4)
    assert result.patch_maps().shape == (2, 3, 5, 7)
    torch.testing.assert_close(result.patch_maps().flatten(2), result.weights[:, :, 1:])
    # the hook leaves the model as it was
    assert not model.blocks[-1].attn._forward_pre_hooks
    torch.testing.assert_close(model(images)[0], out_before)


def test_cls_attention_reference_reproduces_sdpa():
    """The reference softmax times v gives the SDPA block's attention output (so both compute the same thing)."""
    torch.manual_seed(1)
    model = EVAViT('tiny', frozen=True)
    model.init_weights()
    attn = model.blocks[-1].attn
    x = torch.randn(2, 17, 192)
    B, N, C = x.shape
    from visft_mm.models.backbones import attention_weights
    weights = attention_weights(attn, x)
    v = attn.v_proj(x).view(B, N, 3, 64).transpose(1, 2)
    manual = attn.proj((weights @ v).transpose(1, 2).reshape(B, N, C))
    torch.testing.assert_close(manual, attn(x), atol=1e-5, rtol=1e-4)
    q = attn.q_proj(x).view(B, N, 3, 64).transpose(1, 2)
    k = attn.k_proj(x).view(B, N, 3, 64).transpose(1, 2)
    torch.testing.assert_close(weights, F.softmax(q @ k.transpose(-1, -2) / 8.0, -1), atol=1e-6, rtol=1e-5)


def test_cls_attention_through_peft_lora():
    """A peft-wrapped q_proj (LoRA not merged) is used as it computes: the LoRA changes the map."""
    torch.manual_seed(2)
    plain_model = EVAViT('tiny', out_type='cls_token', frozen=True)
    plain_model.init_weights()
    images = torch.randn(1, 3, 56, 56)
    plain = cls_attention(plain_model, images).weights
    model = EVAViT('tiny', out_type='cls_token', frozen=True, lora=dict(r=4, alpha=4))
    model.load_state_dict(plain_model.state_dict(), strict=False)  # base weights; the LoRA keys stay
    assert torch.equal(model.blocks[-1].attn.q_proj.base_layer.weight, plain_model.blocks[-1].attn.q_proj.weight)
    for layer in lora_layers(model).values():
        torch.nn.init.normal_(layer.lora_B['default'].weight, std=0.5)
    with_lora = cls_attention(model, images)
    torch.testing.assert_close(with_lora.weights, _reference_cls_attention(model, images), atol=1e-5, rtol=1e-4)
    assert not torch.allclose(with_lora.weights, plain, atol=1e-4)


def _captured(module, model, images):
    captured = []
    handle = module.register_forward_pre_hook(lambda _, args: captured.append(args))
    model(images)
    handle.remove()
    return captured[0]


@pytest.mark.parametrize('family', ['eva02', 'openai', 'siglip'])
def test_pooled_attention_of_every_clip_family_reproduces_its_attention(family):
    """What ``out_type='pooled'`` reads attends as the map says: the [CLS] row of the last block, recomputed with
    the attention's own q / k (EVA02's rotary embedding included), or SigLIP's attention-pool query; the weights
    times v give the module's own output."""
    from visft_mm.models.backbones import CLIPViT, pooled_attention
    from visft_mm.models.backbones.attention_maps import attention_weights, pool_attention_weights
    from visft_mm.testing.clip_families import CLIPVIT_ARCHS
    torch.manual_seed(3)
    model = CLIPViT(arch=CLIPVIT_ARCHS[family], out_type='featmap').eval()
    images = torch.randn(2, 3, 56, 70)  # a 4 x 5 patch grid
    result = pooled_attention(model, images)
    prefix = model.num_extra_tokens
    assert result.weights.shape[-1] == prefix + 20 and result.num_prefix_tokens == prefix
    torch.testing.assert_close(result.weights.sum(-1), torch.ones(result.weights.shape[:2]), atol=1e-5, rtol=0)
    assert result.patch_maps().shape[-2:] == (4, 5) and model.out_type == 'featmap'  # restored
    with torch.no_grad():
        if model.attn_pool is None:
            attn = model.blocks[-1].attn
            args = _captured(attn, model, images)
            assert family != 'eva02' or args[1] is not None  # the rotary embedding reached the map
            weights = attention_weights(attn, *args)
            x = args[0]
            B, N, C = x.shape
            v = attn.qkv(*args)[2]
            manual = attn.proj(attn.norm((weights @ v).transpose(1, 2).reshape(B, N, C)))
            torch.testing.assert_close(manual, attn(*args), atol=1e-5, rtol=1e-4)
        else:
            pool = model.attn_pool
            model.out_type = 'pooled'
            (tokens, ) = _captured(pool, model, images)
            weights = pool_attention_weights(pool, tokens)
            B, N, C = tokens.shape
            v = pool.kv(tokens).reshape(B, N, 2, pool.num_heads, pool.head_dim)[:, :, 1].transpose(1, 2)
            manual = pool.proj((weights @ v).transpose(1, 2).reshape(B, pool.latent_len, C))
            manual = manual + pool.mlp(pool.norm(manual))
            torch.testing.assert_close(manual[:, 0], pool(tokens), atol=1e-5, rtol=1e-4)
            with pytest.raises(ValueError, match='no class token: use pooled_attention'):
                cls_attention(model, images)
        torch.testing.assert_close(weights[:, :, 0], result.weights, atol=1e-6, rtol=1e-5)
