"""mmcv's deformable-attention kernel (no bf16) is always handed fp32 and gives back the caller's dtype."""
import torch
from mmcv.ops import multi_scale_deform_attn as msda

import visft_mm.models  # noqa: F401  (applies the rebinding)
from visft_mm.models.layers import FP32MultiScaleDeformableAttnFunction


class _RecordingKernel:
    """Stands in for the CUDA kernel on a machine without a GPU: records what it was called with."""
    calls = []

    @classmethod
    def apply(cls, value, spatial_shapes, level_start_index, sampling_locations, attention_weights, im2col_step):
        cls.calls.append((value.dtype, sampling_locations.dtype, attention_weights.dtype,
                          torch.is_autocast_enabled(value.device.type)))
        return value.flatten(2).sum(1, keepdim=True).expand(-1, sampling_locations.shape[1], -1)


def _inputs(dtype):
    value = torch.randn(1, 6, 2, 4, dtype=dtype)
    shapes = torch.tensor([[2, 3]])
    start = torch.tensor([0])
    locations = torch.rand(1, 5, 2, 1, 4, 2, dtype=dtype)
    weights = torch.rand(1, 5, 2, 1, 4, dtype=dtype)
    return value, shapes, start, locations, weights, 64


def test_mmcv_calls_the_fp32_wrapper():
    assert msda.MultiScaleDeformableAttnFunction is FP32MultiScaleDeformableAttnFunction


def test_bf16_inputs_reach_the_kernel_as_fp32(monkeypatch):
    monkeypatch.setattr(FP32MultiScaleDeformableAttnFunction, 'kernel', _RecordingKernel)
    _RecordingKernel.calls.clear()
    out = FP32MultiScaleDeformableAttnFunction.apply(*_inputs(torch.bfloat16))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out_autocast = FP32MultiScaleDeformableAttnFunction.apply(*_inputs(torch.float32))
    assert _RecordingKernel.calls == [(torch.float32, torch.float32, torch.float32, False)] * 2
    assert out.dtype == torch.bfloat16 and out_autocast.dtype == torch.float32


def test_fp32_without_autocast_is_passed_through_unchanged(monkeypatch):
    monkeypatch.setattr(FP32MultiScaleDeformableAttnFunction, 'kernel', _RecordingKernel)
    _RecordingKernel.calls.clear()
    args = _inputs(torch.float32)
    out = FP32MultiScaleDeformableAttnFunction.apply(*args)
    assert torch.equal(out, _RecordingKernel.apply(*args))
