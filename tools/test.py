"""Evaluate a visft_mm config: a trained checkpoint, or a model whose weights all come from init_cfg.

    python tools/test.py CONFIG [CHECKPOINT] [--lora LORA] [--work-dir DIR] [--out results.json|.pkl]
        [--cfg-options ...]
    tools/dist_test.sh CONFIG CHECKPOINT 8

Without CHECKPOINT (zero-shot CLIP, BLIP-2: nothing is trained) the model is initialised from its init_cfg (the
EVA-CLIP file, + the LoRA of --lora).  ``--out X.json`` writes the metrics; any other suffix dumps predictions.
"""
import argparse
import json
import os
import os.path as osp

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

import visft_mm  # noqa: F401
from visft_mm.engine.dist import finish_distributed
from visft_mm.engine.launch import add_common_args, load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file (none: every weight from init_cfg)')
    parser.add_argument('--out', help='X.json: the metrics; X.pkl: dump predictions for offline evaluation '
                        '(stage 2: one file per task, X_<task>.pkl)')
    return add_common_args(parser).parse_args()


def main():
    args = parse_args()
    if args.checkpoint is not None and not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint {args.checkpoint!r} does not exist')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    runner = Runner.from_cfg(cfg)
    if args.checkpoint is None:  # mmengine initialises weights only in train(): never test a random model
        (runner.model.module if is_model_wrapper(runner.model) else runner.model).init_weights()
    if args.out is not None and not args.out.endswith('.json'):
        from mmengine.evaluator import DumpResults
        tasks = getattr(runner.test_loop, 'tasks', None)  # MultiTaskTestLoop: one file per task
        if tasks:
            stem, ext = osp.splitext(args.out)
            for task, (_, evaluator) in tasks.items():
                evaluator.metrics.append(DumpResults(out_file_path=f'{stem}_{task}{ext}'))
        else:
            runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out is not None and args.out.endswith('.json') and runner.rank == 0:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, checkpoint=args.checkpoint, lora=args.lora, metrics=metrics), f,
                      indent=1, default=lambda o: o.item() if hasattr(o, 'item') else str(o))
    finish_distributed()


if __name__ == '__main__':
    main()
