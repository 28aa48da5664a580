"""``EVAViT(frozen_dtype='bfloat16')`` computes exactly what the fp32-stored model computes under bf16 autocast."""
import pytest
import torch

from visft_mm.models import EVAViT

LORA = dict(r=8, alpha=1)


def _pair(**kwargs):
    torch.manual_seed(0)
    fp32 = EVAViT('tiny', out_type='raw', frozen=True, lora=LORA, **kwargs)
    torch.manual_seed(0)
    bf16 = EVAViT('tiny', out_type='raw', frozen=True, lora=LORA, frozen_dtype='bfloat16', **kwargs)
    with torch.no_grad():  # a trained-looking LoRA, the same in both
        for name, p in fp32.named_parameters():
            if 'lora_B' in name:
                p.normal_(0, 0.05)
    bf16.load_state_dict(fp32.state_dict())
    return fp32, bf16


def _step(model, x, autocast):
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
        out = model(x)[0]
    out.float().square().mean().backward()
    return out.detach(), {n: p.grad for n, p in model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize('with_cp', [False, True])
def test_bf16_storage_equals_fp32_storage_under_autocast(with_cp):
    fp32, bf16 = _pair(with_cp=with_cp)
    # the same LoRA init (injected before the cast) and the frozen weights are the fp32 ones rounded to bf16
    for key, value in fp32.state_dict().items():
        assert torch.equal(bf16.state_dict()[key], value.to(bf16.state_dict()[key].dtype)), key
    x = torch.randn(2, 3, 56, 70)
    out_amp, grads_amp = _step(fp32, x, autocast=True)
    out_bf16, grads_bf16 = _step(bf16, x, autocast=False)  # no caller autocast needed
    assert out_bf16.dtype == torch.float32 and torch.equal(out_bf16, out_amp)
    assert grads_bf16.keys() == grads_amp.keys() and all('.lora_' in n for n in grads_bf16)
    for name, grad in grads_amp.items():
        assert grads_bf16[name].dtype == torch.float32 and torch.equal(grads_bf16[name], grad), name
    # and within bf16 precision of the fp32 computation
    out_fp32, _ = _step(fp32, x, autocast=False)
    torch.testing.assert_close(out_bf16, out_fp32, atol=0.1, rtol=0.05)


def test_fp32_storage_leaves_the_callers_autocast_alone():
    fp32, _ = _pair()
    x = torch.randn(1, 3, 28, 28)
    out_amp, _ = _step(fp32, x, autocast=True)
    out_fp32, _ = _step(fp32, x, autocast=False)
    assert not torch.equal(out_amp, out_fp32)


def test_merge_on_bf16_storage_matches_the_unmerged_forward():
    from visft_mm.models.weights.lora import set_merged
    _, bf16 = _pair()
    x = torch.randn(1, 3, 28, 28)
    with torch.no_grad():
        unmerged = bf16(x)[0]
        set_merged(bf16, True)
        merged = bf16(x)[0]
    torch.testing.assert_close(merged, unmerged, atol=0.05, rtol=0.05)


@pytest.mark.parametrize('kwargs, message', [
    (dict(frozen_dtype='float16'), 'frozen_dtype must be one of'),
    (dict(frozen_dtype='bfloat16', frozen=False), 'needs frozen=True'),
])
def test_bad_frozen_dtype_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EVAViT('tiny', **dict(dict(frozen=True), **kwargs))
