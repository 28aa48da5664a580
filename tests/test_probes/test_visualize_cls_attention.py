"""Fig. 3's tool: one PNG per image, the pretrained backbone and each LoRA side by side."""
import importlib.util
import os.path as osp

import numpy as np
import torch
from PIL import Image

from visft_mm.models import EVAViT
from visft_mm.models.weights.lora import lora_layers
from visft_mm.models.weights.lora_files import export_lora

TOOL = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'analysis_tools', 'visualize_cls_attention.py')


def _tool():
    spec = importlib.util.spec_from_file_location('visualize_cls_attention', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_figure_per_image_with_pretrained_and_lora(synthetic_data, tmp_path):
    root, files = synthetic_data
    eva_file = files['eva_checkpoint']
    # a LoRA for this backbone, as a peft adapter folder (one of the three forms EVAPretrained reads)
    torch.manual_seed(0)
    with_lora = EVAViT('tiny', frozen=True, lora=dict(r=4, alpha=4),
                       init_cfg=dict(type='EVAPretrained', checkpoint=eva_file))
    with_lora.init_weights()
    for layer in lora_layers(with_lora).values():
        torch.nn.init.normal_(layer.lora_B['default'].weight, std=0.2)
    adapter = export_lora(with_lora, adapter_dir=str(tmp_path / 'adapter'))['peft']
    images = []
    for i, name in enumerate(['a.jpg', 'b.png']):
        path = tmp_path / name
        Image.fromarray(np.random.RandomState(i).randint(0, 255, (60 + 10 * i, 80, 3), dtype=np.uint8)).save(path)
        images.append(str(path))
    written = _tool().main(images + ['--out-dir', str(tmp_path / 'fig'), '--arch', 'tiny', '--checkpoint', eva_file,
                                     '--lora', adapter, '--img-size', '56', '--per-head', '--device', 'cpu'])
    assert [osp.basename(p) for p in written] == ['a_cls_attention.png', 'b_cls_attention.png']
    for path in written:
        with Image.open(path) as figure:
            assert figure.format == 'PNG'
            width, height = figure.size
        # 3 columns (image, pretrained, LoRA) x 4 rows (mean + 3 heads of the tiny arch)
        assert abs(width / height - 3 / 4) < 0.05, (width, height)


def test_figure_for_a_clip_family_without_a_class_token(tmp_path):
    """SigLIP (no [CLS]): the maps are its attention pool's query, from the family's timm file, normalised with
    SigLIP's own pixel statistics; the LoRA changes them."""
    from visft_mm.testing.clip_families import CLIPVIT_ARCHS, write_family_files
    arch = CLIPVIT_ARCHS['siglip']
    checkpoint = write_family_files('siglip', str(tmp_path / 'files'), seed=0)['timm']
    tool = _tool()
    assert tuple(tool.normalisation(arch)[0]) == (127.5, 127.5, 127.5)
    assert tuple(tool.normalisation('eva-g')[0]) != (127.5, 127.5, 127.5)
    from visft_mm.registry import MODELS
    torch.manual_seed(0)
    with_lora = MODELS.build(dict(type='CLIPViT', arch=arch, lora=dict(r=4, alpha=4),
                                  init_cfg=dict(type='EVAPretrained', checkpoint=checkpoint)))
    with_lora.init_weights()
    for layer in lora_layers(with_lora).values():
        torch.nn.init.normal_(layer.lora_B['default'].weight, std=0.5)
    adapter = export_lora(with_lora, adapter_dir=str(tmp_path / 'adapter'))['peft']
    image = tmp_path / 'c.png'
    Image.fromarray(np.random.RandomState(3).randint(0, 255, (70, 70, 3), dtype=np.uint8)).save(image)
    out = tmp_path / 'fig'
    written = tool.main([str(image), '--out-dir', str(out), '--arch', arch, '--checkpoint', checkpoint,
                         '--lora', adapter, '--img-size', '56', '--device', 'cpu'])
    assert [osp.basename(p) for p in written] == ['c_cls_attention.png']

    from visft_mm.models.backbones import pooled_attention
    _, tensor = tool.load_image(str(image), 56, arch)
    maps = [pooled_attention(tool.build_backbone(arch, checkpoint, lora, 'cpu'), tensor).patch_maps()
            for lora in (None, adapter)]
    assert maps[0].shape[-2:] == (4, 4)
    assert (maps[0] - maps[1]).abs().max() > 1e-6  # a tiny random pool attends almost uniformly: small, not 0
