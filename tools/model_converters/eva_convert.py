"""Move EVA-CLIP vision weights (and ViSFT LoRA) between visft_mm and the tools that use EVA-CLIP.

Check/convert any supported layout into visft_mm's (EVA-CLIP .pt, open_clip, timm, LAVIS):
    python tools/model_converters/eva_convert.py import EVA01_CLIP_g_14_psz14_s11B.pt eva_g_visft.pth --arch eva-g

Fold a trained LoRA into the backbone and write it in another tool's layout (fused qkv); with --template a full
EVA-CLIP / open_clip checkpoint keeps its text tower and projection head:
    python tools/model_converters/eva_convert.py export --arch eva-e --pretrained EVA02_CLIP_E_psz14_plus_s9B.pt \\
        --lora work_dirs/stage2_joint/iter_5000.pth --to eva_clip --template EVA02_CLIP_E_psz14_plus_s9B.pt \\
        --out EVA02_CLIP_E_visft.pt --adapter-dir visft_lora_adapter --official-lora visft_lora_official.pt

--lora takes any form of a ViSFT LoRA (visft_mm.models.weights.lora_files): a visft_mm stage-2 checkpoint (rank, alpha
and the EVA-CLIP fingerprint come from its meta and are checked), a peft adapter folder, or the released ViSFT
LoRA file (visual.blocks.N.attn.qkv.lora_A / lora_B, alpha 1).
"""
import argparse

import torch

from visft_mm.models import EVAViT
from visft_mm.models.weights import eva_formats as W
from visft_mm.models.weights.lora_files import export_lora, merge_lora, read_lora


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    imp = sub.add_parser('import', help='any EVA-CLIP layout -> visft_mm layout (checked against --arch)')
    imp.add_argument('src')
    imp.add_argument('out')
    imp.add_argument('--arch', required=True, choices=sorted(EVAViT.arch_zoo))
    imp.add_argument('--allow-missing', nargs='*', default=[], help="e.g. 'norm.*' for LAVIS files")
    exp = sub.add_parser('export', help='backbone (+ LoRA merged) -> another layout; LoRA -> adapter files')
    exp.add_argument('--arch', required=True, choices=sorted(EVAViT.arch_zoo))
    exp.add_argument('--pretrained', required=True, help='the frozen EVA-CLIP weights (any layout)')
    exp.add_argument('--lora', required=True,
                     help='trained LoRA (visft_mm stage-2 checkpoint, peft adapter folder or official ViSFT file)')
    exp.add_argument('--alpha', type=float, help='LoRA alpha, for a file that does not record it (paper: 1)')
    exp.add_argument('--to', choices=W.FORMATS, default='eva_clip')
    exp.add_argument('--template', help='full checkpoint of the --to layout whose other entries are kept')
    exp.add_argument('--out', help='merged backbone file')
    exp.add_argument('--adapter-dir', help='also write the LoRA as a peft adapter folder')
    exp.add_argument('--official-lora', help='also write the LoRA in the released ViSFT layout')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.command == 'import':
        model = EVAViT(args.arch)
        fmt = W.load_eva_weights(model, args.src, allow_missing=args.allow_missing)
        torch.save(model.state_dict(), args.out)
        print(f'{args.src} ({fmt}) -> {args.out} (visft_mm layout, {args.arch})')
        return

    lora = read_lora(args.lora, alpha=args.alpha)
    model = EVAViT(args.arch, lora=dict(r=lora.rank, alpha=lora.alpha, targets=lora.targets))
    W.load_eva_weights(model, args.pretrained)
    merge_lora(model, lora)  # checked against the arch and (where recorded) the EVA-CLIP weights
    template = W.read_checkpoint(args.template) if args.template else None
    written = export_lora(model, adapter_dir=args.adapter_dir, official=args.official_lora, merged=args.out,
                          fmt=args.to, template=template)
    for kind, path in written.items():
        print(f'{kind} -> {path}')


if __name__ == '__main__':
    main()
