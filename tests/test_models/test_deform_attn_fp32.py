"""The fp32 deformable-attention island is visft_mm's own: other models in the process are untouched.

mmcv's CUDA kernel has no bf16; visft_mm's pixel decoder runs its deformable attention in fp32 under bf16
autocast, through a subclass of its own, and `import visft_mm` rebinds nothing in mmcv / mmdet.
"""
import os
import subprocess
import sys

import torch
from mmcv.ops import MultiScaleDeformableAttention
from mmengine.config import ConfigDict

from visft_mm.models.layers import FP32MultiScaleDeformableAttention
from visft_mm.registry import MODELS

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')

# Builds mmdet's own Mask2Former pixel decoder (two levels, deformable-attention encoder) from mmdet's registry and
# runs it in fp32 and under bf16 autocast; with argument 'import', after `import visft_mm`.  Saves the outputs and
# what every name of the modules on that path is bound to.
UPSTREAM_RUN = r'''
import sys
import torch
torch.set_num_threads(1)
if sys.argv[1] == 'import':
    import visft_mm, visft_mm.models, visft_mm.engine  # noqa: F401, E401  (every module registered)
assert ('visft_mm' in sys.modules) == (sys.argv[1] == 'import')
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope
from mmdet.registry import MODELS
from mmdet.utils import register_all_modules
import mmcv.ops.multi_scale_deform_attn, mmcv.cnn.bricks.transformer
import mmdet.models.layers.msdeformattn_pixel_decoder, mmdet.models.layers.transformer.deformable_detr_layers

def bindings(module):
    """name -> where the bound object is defined, for the module's names and its classes' attributes"""
    out = {}
    for name, obj in vars(module).items():
        out[name] = (getattr(obj, '__module__', None), getattr(obj, '__qualname__', type(obj).__name__))
        if isinstance(obj, type) and obj.__module__ == module.__name__:
            for attr, value in vars(obj).items():
                value = getattr(value, '__func__', value)
                out[f'{name}.{attr}'] = (getattr(value, '__module__', None), getattr(value, '__qualname__', None))
    return out

register_all_modules(init_default_scope=False)
torch.manual_seed(0)
attn = dict(embed_dims=32, num_heads=4, num_levels=2, num_points=2, dropout=0.0, batch_first=True)
with DefaultScope.overwrite_default_scope('mmdet'):
    decoder = MODELS.build(ConfigDict(
        type='MSDeformAttnPixelDecoder', in_channels=[16, 24], strides=[8, 16], feat_channels=32, out_channels=32,
        num_outs=2, norm_cfg=dict(type='GN', num_groups=8),
        encoder=dict(num_layers=2, layer_cfg=dict(self_attn_cfg=attn,
                                                  ffn_cfg=dict(embed_dims=32, feedforward_channels=64))),
        positional_encoding=dict(num_feats=16, normalize=True)))
decoder.init_weights()
decoder.eval()
feats = [torch.randn(2, 16, 12, 10), torch.randn(2, 24, 6, 5)]
with torch.no_grad():
    fp32 = decoder(feats)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        bf16 = decoder(feats)
modules = [mmcv.ops.multi_scale_deform_attn, mmcv.cnn.bricks.transformer,
           mmdet.models.layers.msdeformattn_pixel_decoder, mmdet.models.layers.transformer.deformable_detr_layers]
torch.save(dict(outputs=[fp32[0], *fp32[1], bf16[0], *bf16[1]],
                bindings={m.__name__: bindings(m) for m in modules}), sys.argv[2])
'''


def test_import_visft_mm_leaves_an_mmdet_pixel_decoder_bit_identical(tmp_path, monkeypatch):
    # without: a fresh interpreter that never imports visft_mm
    env = dict(os.environ, PYTHONPATH=os.path.abspath(ROOT))
    result = subprocess.run([sys.executable, '-c', UPSTREAM_RUN, 'plain', str(tmp_path / 'plain.pt')], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    # with: this process, where visft_mm (and everything it registers) is imported
    monkeypatch.setattr(sys, 'argv', ['-c', 'import', str(tmp_path / 'import.pt')])
    threads = torch.get_num_threads()
    try:
        exec(UPSTREAM_RUN, {'__name__': 'upstream_run'})
    finally:
        torch.set_num_threads(threads)
    without, with_visft = (torch.load(tmp_path / f'{mode}.pt', weights_only=False) for mode in ('plain', 'import'))
    assert without['bindings'] == with_visft['bindings']  # nothing in mmcv / mmdet rebound
    assert len(without['outputs']) == len(with_visft['outputs']) == 6
    for plain, imported in zip(without['outputs'], with_visft['outputs']):
        assert plain.dtype == imported.dtype and torch.equal(plain, imported)
    assert any(t.dtype == torch.bfloat16 for t in without['outputs'])  # autocast really ran in bf16 upstream


def _attention_pair():
    cfg = dict(embed_dims=32, num_heads=4, num_levels=1, num_points=2, dropout=0.0, batch_first=True)
    ours = FP32MultiScaleDeformableAttention(**cfg)
    theirs = MultiScaleDeformableAttention(**cfg)
    with torch.no_grad():
        for p in ours.parameters():
            p.normal_(0, 0.3)
    theirs.load_state_dict(ours.state_dict(), strict=True)  # same parameter names
    shapes = torch.tensor([[6, 5]])
    inputs = dict(query=torch.randn(2, 30, 32), query_pos=torch.randn(2, 30, 32), spatial_shapes=shapes,
                  level_start_index=torch.tensor([0]), reference_points=torch.rand(2, 30, 1, 2))
    return ours, theirs, inputs


@torch.no_grad()
def test_fp32_attention_is_mmcv_without_autocast_and_fp32_under_it():
    ours, theirs, inputs = _attention_pair()
    reference = theirs(**inputs)
    assert torch.equal(ours(**inputs), reference)  # no autocast: mmcv's module unchanged
    with torch.autocast('cpu', dtype=torch.bfloat16):
        island = ours(**inputs)
        upstream = theirs(**inputs)
    assert island.dtype == torch.float32 and torch.equal(island, reference)  # exactly the fp32 computation
    assert not torch.equal(upstream, reference)  # mmcv's module itself computes in bf16 under autocast


def test_our_pixel_decoder_runs_bf16_with_its_deformable_attention_in_fp32():
    decoder = MODELS.build(ConfigDict(
        type='SingleLevelPixelDecoder', in_channels=[48], strides=[14], feat_channels=32, out_channels=32,
        num_outs=1, norm_cfg=dict(type='GN', num_groups=8), act_cfg=dict(type='ReLU'),
        encoder=dict(num_layers=2, layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=32, num_heads=4, num_levels=1, num_points=2, dropout=0.0,
                               batch_first=True),
            ffn_cfg=dict(embed_dims=32, feedforward_channels=64))),
        positional_encoding=dict(num_feats=16, normalize=True)))
    decoder.init_weights()
    layers = decoder.encoder.layers
    assert all(type(layer.self_attn) is FP32MultiScaleDeformableAttention for layer in layers)
    dtypes = {}
    for i, layer in enumerate(layers):
        for name in ('value_proj', 'sampling_offsets', 'attention_weights', 'output_proj'):
            getattr(layer.self_attn, name).register_forward_hook(
                lambda m, a, out, key=f'{i}.{name}': dtypes.update({key: out.dtype}))
        layer.ffn.layers[0].register_forward_hook(lambda m, a, out, key=f'{i}.ffn': dtypes.update({key: out.dtype}))
    feats = [torch.randn(2, 48, 6, 7, requires_grad=True)]
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mask_feature, multi_scale = decoder(feats)
    (mask_feature.float().sum() + sum(f.float().sum() for f in multi_scale)).backward()
    assert {k: v for k, v in dtypes.items() if 'ffn' not in k} == {
        f'{i}.{name}': torch.float32 for i in range(2)
        for name in ('value_proj', 'sampling_offsets', 'attention_weights', 'output_proj')}
    assert dtypes['0.ffn'] == dtypes['1.ffn'] == torch.bfloat16  # the rest of the decoder stays in bf16
    assert torch.isfinite(mask_feature.float()).all() and torch.isfinite(feats[0].grad).all()

