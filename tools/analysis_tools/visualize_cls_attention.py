"""Fig. 3: where the last block's [CLS] token attends, for the pretrained EVA-ViT (or any CLIPViT family) and after
each ViSFT LoRA.

    python tools/analysis_tools/visualize_cls_attention.py IMAGE [IMAGE ...] --out-dir work_dirs/fig3 \
        [--arch eva-g] [--checkpoint checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt] \
        [--lora work_dirs/stage2/iter_5000.pth --lora visft_lora_15k.pt] [--per-head] [--img-size 224]

One PNG per image: the image, then one panel per backbone (pretrained first, then each ``--lora`` in order) with
the head-averaged [CLS]-to-patch attention over it; ``--per-head`` adds one row per head.  The LoRA is loaded and
merged by the evaluation initializer (``visft_mm.EVAPretrained``), as every evaluation does; the weights are
recomputed from the last block's q and k (:func:`visft_mm.models.backbones.pooled_attention`).  A CLIPViT arch
(``--arch eva02-l`` / ``openai-l`` / ``siglip-so400m``) works the same; SigLIP has no class token, so its maps are
its attention pool's query over the patches, what its pooled feature reads.
"""
import argparse
import os
import os.path as osp
from typing import List, Optional

import numpy as np
import torch
from PIL import Image

from visft_mm.models import EVAViT
from visft_mm.models.backbones import CLIPViT, pooled_attention
from visft_mm.registry import MODELS

# (mean, std) of the pixels each family was trained on, by arch name prefix; every other arch: CLIP's
NORMALISATION = {'siglip': ((127.5, 127.5, 127.5), (127.5, 127.5, 127.5))}
CLIP_NORMALISATION = ((122.770938, 116.74601, 104.09373), (68.500491, 66.632247, 70.323166))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Draw the last block\'s [CLS] attention of EVA-ViT backbones')
    parser.add_argument('images', nargs='+', help='image files')
    parser.add_argument('--out-dir', required=True, help='folder for the PNGs (one per image)')
    parser.add_argument('--arch', default='eva-g', help='EVAViT arch (eva-g, eva-e, tiny, ...) or CLIPViT arch '
                        f'({", ".join(sorted(CLIPViT.arch_zoo))})')
    parser.add_argument('--checkpoint', default='checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt',
                        help='the EVA-CLIP file of the pretrained backbone')
    parser.add_argument('--lora', action='append', default=[],
                        help='a ViSFT LoRA (stage-2 checkpoint, peft folder or official file); repeatable')
    parser.add_argument('--label', action='append', default=None,
                        help='panel titles: one for the pretrained backbone, then one per --lora')
    parser.add_argument('--per-head', action='store_true', help='also draw every head\'s map')
    parser.add_argument('--img-size', type=int, default=224, help='input side (pixels) the image is resized to')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    args = parser.parse_args(argv)
    if args.img_size % EVAViT.patch_size:
        parser.error(f'--img-size must be a multiple of the patch size {EVAViT.patch_size} (the map then covers '
                     f'the image exactly), got {args.img_size}')
    if args.label is not None and len(args.label) != 1 + len(args.lora):
        parser.error(f'--label needs {1 + len(args.lora)} titles (pretrained + each --lora), got {len(args.label)}')
    return args


def normalisation(arch: str):
    """(mean, std) arrays of ``arch``'s family."""
    mean, std = next((v for prefix, v in NORMALISATION.items() if arch.startswith(prefix)), CLIP_NORMALISATION)
    return np.array(mean, dtype=np.float32), np.array(std, dtype=np.float32)


def load_image(path: str, size: int, arch: str = 'eva-g'):
    """(RGB uint8 array at ``size`` x ``size``, 1 x 3 x size x size tensor normalised as ``arch``'s family)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'image {path!r} does not exist')
    rgb = np.asarray(Image.open(path).convert('RGB').resize((size, size), Image.BICUBIC))
    mean, std = normalisation(arch)
    tensor = torch.from_numpy((rgb.astype(np.float32) - mean) / std).permute(2, 0, 1)[None]
    return rgb, tensor


def build_backbone(arch: str, checkpoint: str, lora: Optional[str], device: str) -> EVAViT:
    kind = 'CLIPViT' if arch in CLIPViT.arch_zoo else 'EVAViT'
    backbone = MODELS.build(dict(type=f'visft_mm.{kind}', arch=arch, frozen=True, init_cfg=dict(
        type='visft_mm.EVAPretrained', checkpoint=checkpoint, lora=lora)))
    backbone.init_weights()
    return backbone.to(device).eval()


def draw(rgb: np.ndarray, maps: List[np.ndarray], titles: List[str], out_file: str, per_head: bool):
    """maps[i]: (num_heads, H, W) of backbone i.  Row 0: head mean; rows 1..: heads (``per_head``)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    rows = 1 + (maps[0].shape[0] if per_head else 0)
    cols = 1 + len(maps)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.6 * rows), squeeze=False)
    extent = (0, rgb.shape[1], rgb.shape[0], 0)
    for row in range(rows):
        axes[row, 0].imshow(rgb)
        axes[row, 0].set_title('image' if row == 0 else f'head {row - 1}', fontsize=9)
        for col, (m, title) in enumerate(zip(maps, titles), start=1):
            heat = m.mean(0) if row == 0 else m[row - 1]
            axes[row, col].imshow(rgb)
            axes[row, col].imshow(heat, cmap='jet', alpha=0.5, extent=extent, interpolation='bilinear')
            axes[row, col].set_title(title if row == 0 else f'{title}: head {row - 1}', fontsize=9)
    for ax in axes.flat:
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(out_file, dpi=100)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    loras = [None] + list(args.lora)
    titles = args.label or ['pretrained'] + [osp.basename(osp.normpath(path)) for path in args.lora]
    images = [load_image(path, args.img_size, args.arch) for path in args.images]
    maps = [[] for _ in images]  # per image, per backbone: (heads, H, W); one backbone in memory at a time
    for lora in loras:
        backbone = build_backbone(args.arch, args.checkpoint, lora, args.device)
        for i, (_, tensor) in enumerate(images):
            result = pooled_attention(backbone, tensor.to(args.device))
            maps[i].append(result.patch_maps()[0].float().cpu().numpy())
        del backbone
    written = []
    for path, (rgb, _), image_maps in zip(args.images, images, maps):
        stem = osp.splitext(osp.basename(path))[0]
        out_file = osp.join(args.out_dir, f'{stem}_cls_attention.png')
        if out_file in written:  # two images with one name (from different folders): keep both
            out_file = osp.join(args.out_dir, f'{stem}_{len(written)}_cls_attention.png')
        draw(rgb, image_maps, titles, out_file, args.per_head)
        written.append(out_file)
        print(out_file)
    return written


if __name__ == '__main__':
    main()
