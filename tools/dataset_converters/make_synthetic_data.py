"""Generate the synthetic data used by the tests and the demo, in the real formats.

    python tools/dataset_converters/make_synthetic_data.py data/synthetic --num-train 64 --num-val 16

COCO / Karpathy (stage 1 and 2), COCO person keypoints (``coco_pose/``) and COCO panoptic (``coco_panoptic/``) for
the Table-12 pose / panoptic heads, and the out-of-domain benchmarks (``--no-benchmarks`` skips them): clovaai LMDBs +
mmocr JSON (OCR probe), M3IT coco-goi jsonl (GOI probe), class folders + a Flickr30k-layout set (zero-shot), and small
EVA-CLIP files.  Configs point ``data_root`` at these folders exactly as they would at the real data.
"""
import argparse
import time

from visft_mm.testing import generate_synthetic_data
from visft_mm.testing.synthetic_panoptic import generate_panoptic_data
from visft_mm.testing.synthetic_pose import generate_pose_data


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_dir', help='output folder (created if missing)')
    parser.add_argument('--num-train', type=int, default=64, help='COCO train2017 images')
    parser.add_argument('--num-val', type=int, default=16, help='COCO val2017 images')
    parser.add_argument('--max-objects', type=int, default=4, help='most shapes in one image')
    parser.add_argument('--no-benchmarks', action='store_true', help='only the COCO / Karpathy data')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    try:
        written = generate_synthetic_data(args.out_dir, benchmarks=not args.no_benchmarks, num_train=args.num_train,
                                          num_val=args.num_val, max_objects=args.max_objects, seed=args.seed)
        for generate in (generate_pose_data, generate_panoptic_data):
            written.update(generate(args.out_dir, num_train=args.num_train, num_val=args.num_val, seed=args.seed))
    except (ValueError, OSError) as e:
        raise SystemExit(f'error: {e}')
    for name, path in written.items():
        print(f'{name:28s} {path}')
    print(f'generated in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
