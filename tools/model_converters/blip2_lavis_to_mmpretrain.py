"""Convert a LAVIS BLIP-2 checkpoint to the keys of mmpretrain's BLIP-2 models (configs/blip2/*.py).

    python tools/model_converters/blip2_lavis_to_mmpretrain.py blip2_pretrained_opt2.7b.pth \\
        checkpoints/blip2_opt2.7b_mmpretrain.pth --config configs/blip2/vqav2_opt2.7b.py

Q-Former, query tokens, ln_vision and the projection(s) are renamed (table in
visft_mm/models/probes/blip2_weights.py); the LAVIS ViT is left out by default because the configs build the
vision tower from EVA-CLIP (+ the ViSFT LoRA) with visft_mm.EVAPretrained.  --vision-out writes it as an EVAViT
state dict instead (39 blocks, no final norm; fused qkv split).  With --config the result is checked against the
model that config builds (on the meta device, nothing loaded): every key it lacks or has extra is listed and the
conversion fails, except the OPT weights (read from the local Hugging Face folder), the vision tower and the
constant position-id buffer.
"""
import argparse
import sys

import torch

from visft_mm.checkpoint.keys import key_diff
from visft_mm.models.blip2.blip2_weights import MMPRETRAIN_VISION, lavis_to_mmpretrain
from visft_mm.models.weights.eva_formats import read_checkpoint

# filled from elsewhere at run time: the OPT folder, the vision tower (EVAPretrained init_cfg), and the BERT
# position-id buffer (a constant arange that some LAVIS files leave out)
NOT_IN_FILE = ('text_backbone.*', MMPRETRAIN_VISION + '*', 'multimodal_backbone.bert.embeddings.position_ids')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='LAVIS BLIP-2 checkpoint (.pth, state dict under "model")')
    parser.add_argument('dst', help='output checkpoint with mmpretrain keys (under "state_dict")')
    parser.add_argument('--config', help='a configs/blip2 config whose model the result must fit exactly')
    parser.add_argument('--vision-out', help='also write the LAVIS ViT as an EVAViT state dict here')
    return parser.parse_args(argv)


def model_state(config_path: str):
    """The state dict (shapes only) of the model a config builds, on the meta device (no weights read or
    allocated)."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmpretrain.models.utils.huggingface import no_load_hf_pretrained_model

    import visft_mm  # noqa: F401
    from visft_mm.registry import MODELS
    cfg = Config.fromfile(config_path)
    init_default_scope(cfg.get('default_scope', 'visft_mm'))
    with no_load_hf_pretrained_model(), torch.device('meta'):
        return MODELS.build(cfg.model).state_dict(keep_vars=True)


def main(argv=None):
    args = parse_args(argv)
    state = read_checkpoint(args.src)
    full = lavis_to_mmpretrain(state, args.src)
    vision = {k[len(MMPRETRAIN_VISION):]: v for k, v in full.items() if k.startswith(MMPRETRAIN_VISION)}
    converted = {k: v for k, v in full.items() if not k.startswith(MMPRETRAIN_VISION)}
    groups = {}
    for key in converted:
        groups[key.split('.')[0]] = groups.get(key.split('.')[0], 0) + 1
    print(f'{args.src}: {len(converted)} tensors converted ' +
          ', '.join(f'{g} {n}' for g, n in sorted(groups.items())) + f'; vision tower {len(vision)} tensors')
    if args.config:
        diff = key_diff(converted, model_state(args.config), allow_missing=NOT_IN_FILE, allow_unexpected=NOT_IN_FILE)
        mismatched = [f'{k}: file {a} vs model {b}' for k, a, b in diff.mismatched]
        for title, keys in (('missing in the file', diff.missing), ('not in the model', diff.unexpected),
                            ('shape mismatch', mismatched)):
            print(f'{title}: {len(keys)}' + ''.join(f'\n  {k}' for k in keys))
        if diff:
            sys.exit(f'error: {args.src} does not fit the model of {args.config} (see the lists above)')
        print(f'{args.src} fits the model of {args.config} exactly '
              f'(left to other sources by design: {", ".join(NOT_IN_FILE)})')
    torch.save(dict(state_dict=converted, meta=dict(source=args.src, converter='blip2_lavis_to_mmpretrain')),
               args.dst)
    print(f'wrote {args.dst}')
    if args.vision_out:
        if not vision:
            sys.exit(f'error: {args.src} has no visual_encoder.* weights for --vision-out')
        torch.save(vision, args.vision_out)
        print(f'wrote {args.vision_out} ({len(vision)} EVAViT tensors)')


if __name__ == '__main__':
    main()
