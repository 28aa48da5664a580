"""Move EVA-CLIP vision weights (and ViSFT LoRA) between visft_mm and the tools that use EVA-CLIP.

Check/convert any supported layout into visft_mm's (EVA-CLIP .pt, open_clip, timm, LAVIS):
    python tools/model_converters/eva_convert.py import EVA01_CLIP_g_14_psz14_s11B.pt eva_g_visft.pth --arch eva-g

Fold a trained LoRA into the backbone and write it in another tool's layout (fused qkv); with --template a full
EVA-CLIP / open_clip checkpoint keeps its text tower and projection head:
    python tools/model_converters/eva_convert.py export --arch eva-e --pretrained EVA02_CLIP_E_psz14_s4B.pt \\
        --lora work_dirs/stage2_joint/iter_5000.pth --to eva_clip --template EVA02_CLIP_E_psz14_s4B.pt \\
        --out EVA02_CLIP_E_visft.pt --adapter-dir visft_lora_adapter --official-lora visft_lora_official.pt

--lora takes a visft_mm training checkpoint (LoRA keys under any model prefix), a peft-layout state dict or a
released ViSFT LoRA file (visual.blocks.N.attn.qkv.lora_A / lora_B).
"""
import argparse
import re

import torch

from visft_mm.models import EVAViT
from visft_mm.models.backbones import eva_weights as W
from visft_mm.models.lora import lora_state_dict, merged_plain_state_dict, save_peft_adapter

_PEFT_LORA = re.compile(r'^(?:.*\.)?(blocks\.\d+\.attn\.[qv]_proj\.lora_[AB]\.default\.weight)$')


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
    exp.add_argument('--lora', help='trained LoRA (visft_mm checkpoint, peft state dict or official ViSFT file)')
    exp.add_argument('--alpha', type=float, default=1.0, help='LoRA alpha of the run (paper and default: 1)')
    exp.add_argument('--to', choices=W.FORMATS, default='eva_clip')
    exp.add_argument('--template', help='full checkpoint of the --to layout whose other entries are kept')
    exp.add_argument('--out', help='merged backbone file')
    exp.add_argument('--adapter-dir', help='also write the LoRA as a peft adapter folder')
    exp.add_argument('--official-lora', help='also write the LoRA in the released ViSFT layout')
    return parser.parse_args()


def read_lora(path):
    """LoRA tensors of any accepted source, in EVAViT's peft key layout."""
    state = W.read_checkpoint(path)
    if any(k.endswith('qkv.lora_A') for k in state):
        return W.official_lora_to_peft(state)
    lora = {}
    for key, value in state.items():
        match = _PEFT_LORA.match(key)
        if match:
            lora[match.group(1)] = value
    if not lora:
        raise W.CheckpointFormatError(f'{path!r} holds no LoRA weights (expected blocks.N.attn.q_proj.lora_A...)')
    return lora


def main():
    args = parse_args()
    if args.command == 'import':
        model = EVAViT(args.arch)
        fmt = W.load_eva_weights(model, args.src, allow_missing=args.allow_missing)
        torch.save(model.state_dict(), args.out)
        print(f'{args.src} ({fmt}) -> {args.out} (visft_mm layout, {args.arch})')
        return

    lora = read_lora(args.lora) if args.lora else None
    rank = next(v.shape[0] for k, v in lora.items() if 'lora_A' in k) if lora else None
    model = EVAViT(args.arch, lora=dict(r=rank, alpha=args.alpha) if lora else None)
    W.load_eva_weights(model, args.pretrained)
    if lora:
        missing = {k for k in lora_state_dict(model)} - set(lora)
        if missing:
            raise SystemExit(f'error: {args.lora} lacks LoRA weights for {sorted(missing)[:4]}')
        model.load_state_dict(lora, strict=False)
    if args.out:
        template = W.read_checkpoint(args.template) if args.template else None
        torch.save(W.export_state_dict(merged_plain_state_dict(model), args.to, template=template), args.out)
        print(f'merged backbone ({args.to} layout) -> {args.out}')
    if args.adapter_dir:
        save_peft_adapter(model, args.adapter_dir)
        print(f'peft adapter -> {args.adapter_dir}')
    if args.official_lora:
        torch.save(W.peft_lora_to_official(lora_state_dict(model)), args.official_lora)
        print(f'official ViSFT LoRA layout -> {args.official_lora}')


if __name__ == '__main__':
    main()
