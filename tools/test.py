"""Evaluate a checkpoint of a visft_mm config.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out results.pkl] [--cfg-options ...]
    tools/dist_test.sh CONFIG CHECKPOINT 8
"""
import argparse
import os.path as osp

from mmengine.runner import Runner

import visft_mm  # noqa: F401
from visft_mm.engine.dist import finish_distributed
from visft_mm.engine.launch import add_common_args, load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump predictions to a pickle file for offline evaluation (stage 2: one '
                        'file per task, <name>_<task>.pkl)')
    return add_common_args(parser).parse_args()


def main():
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint {args.checkpoint!r} does not exist')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    runner = Runner.from_cfg(cfg)
    if args.out is not None:
        from mmengine.evaluator import DumpResults
        evaluators = getattr(runner.test_loop, 'evaluators', None)  # MultiTaskTestLoop: one file per task
        if evaluators:
            stem, ext = osp.splitext(args.out)
            for task, evaluator in evaluators.items():
                evaluator.metrics.append(DumpResults(out_file_path=f'{stem}_{task}{ext}'))
        else:
            runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    runner.test()
    finish_distributed()


if __name__ == '__main__':
    main()
