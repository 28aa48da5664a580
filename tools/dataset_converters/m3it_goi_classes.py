"""Write the class list of M3IT coco-goi (from train.jsonl) as the ``classes.txt`` the GOI probe configs read.

    python tools/dataset_converters/m3it_goi_classes.py data/M3IT/data/classification/coco-goi/train.jsonl

Train and val datasets both take this file, so label ids agree; the probe's checkpoints also keep the list
(``meta['dataset_meta']['classes']``).
"""
import argparse
import os.path as osp

from visft_mm.datasets.m3it_goi import write_goi_classes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('train_jsonl', help="M3IT coco-goi train.jsonl")
    parser.add_argument('--out', help='output file (default: classes.txt next to the jsonl)')
    args = parser.parse_args()
    out = args.out or osp.join(osp.dirname(osp.abspath(args.train_jsonl)), 'classes.txt')
    classes = write_goi_classes(args.train_jsonl, out)
    print(f'{len(classes)} classes written to {out}')


if __name__ == '__main__':
    main()
