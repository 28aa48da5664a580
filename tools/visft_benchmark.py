"""Run a ViSFT benchmark suite: every benchmark x every LoRA file, resumable, laid out like the paper's tables.

    python tools/visft_benchmark.py configs/benchmarks/visft_eva_g.py [--work-dir DIR] [--gpus 8]
        [--only-loras 0k 5k] [--only-benchmarks ocr goi] [--cfg-options loras.50k=work_dirs/.../iter_50000.pth]

Probes that need training (OCR, GOI) are trained first through tools/train.py's path, then every cell is tested
through tools/test.py's path (in this process; with --gpus N under torchrun).  Each cell's metrics go to
<work_dir>/results/<benchmark>/<arch>_<lora label>.json, keyed by the fingerprints of the config, the EVA-CLIP
file and the LoRA file: a second run recomputes nothing, a changed file is recomputed.  The tables go to
<work_dir>/report.md and <work_dir>/<table>.png.
"""
import argparse

from mmengine.config import Config, DictAction

import visft_mm  # noqa: F401  (the registry scope; modules register at their first look-up)
from visft_mm.benchmarks import BenchmarkSuite, write_report


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('suite', help='a suite config (configs/benchmarks/*.py)')
    parser.add_argument('--work-dir', help='results, runs and the report (default: the suite\'s work_dir)')
    parser.add_argument('--gpus', type=int, default=1, help='> 1: each training / test under torchrun')
    parser.add_argument('--only-loras', nargs='+', help='run these LoRA labels of the suite only')
    parser.add_argument('--only-benchmarks', nargs='+', help='run these benchmarks of the suite only')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='override suite settings')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.suite)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    suite = BenchmarkSuite(cfg, work_dir=args.work_dir, gpus=args.gpus, only_loras=args.only_loras,
                           only_benchmarks=args.only_benchmarks, log=lambda message: print(message, flush=True))
    results = suite.run()
    files = write_report(suite, results, suite.work_dir)
    with open(files[0]) as f:
        print(f.read())
    print('written: ' + ', '.join(files))


if __name__ == '__main__':
    main()
