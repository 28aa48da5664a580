"""Train a visft_mm config (any OpenMMLab-style config) with MMEngine's Runner.

    python tools/train.py configs/visft/stage1_detr_eva_g.py [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--lora LORA] [--cfg-options key=value ...]
    tools/dist_train.sh configs/visft/stage1_mask2former_eva_e.py 8
"""
import argparse

from mmengine.runner import Runner

import visft_mm  # noqa: F401  (registers modules; lets torch >= 2.6 load mmengine checkpoints)
from visft_mm.engine.dist import finish_distributed
from visft_mm.engine.launch import add_common_args, load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision (bf16)')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from the given checkpoint, or the latest one in the work dir')
    return add_common_args(parser).parse_args()


def main():
    args = parse_args()
    cfg = load_config(args)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('dtype', 'bfloat16')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    Runner.from_cfg(cfg).train()
    finish_distributed()


if __name__ == '__main__':
    main()
