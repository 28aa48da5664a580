"""Generate the synthetic COCO / Karpathy / text-recognition data used by the tests and the demo.

    python tools/dataset_converters/make_synthetic_data.py data/synthetic --num-train 64 --num-val 16

Configs point ``data_root`` at ``<out>/coco/`` (or ``<out>/textrecog/``) exactly as they would at the real data.
"""
import argparse
import time

from visft_mm.testing import generate_synthetic_data


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_dir', help='output folder (created if missing)')
    parser.add_argument('--num-train', type=int, default=64, help='COCO train2017 images')
    parser.add_argument('--num-val', type=int, default=16, help='COCO val2017 images')
    parser.add_argument('--num-text-train', type=int, default=200, help='text-recognition train words')
    parser.add_argument('--num-text-test', type=int, default=50, help='text-recognition test words')
    parser.add_argument('--max-objects', type=int, default=4, help='most shapes in one image')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    try:
        written = generate_synthetic_data(
            args.out_dir, num_train=args.num_train, num_val=args.num_val, num_text_train=args.num_text_train,
            num_text_test=args.num_text_test, max_objects=args.max_objects, seed=args.seed)
    except (ValueError, OSError) as e:
        raise SystemExit(f'error: {e}')
    for name, path in written.items():
        print(f'{name:18s} {path}')
    print(f'generated in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
