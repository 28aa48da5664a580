"""Build the caption vocabulary once; every later stage and the evaluation load this file.

    python tools/dataset_converters/build_caption_vocab.py data/coco/annotations/dataset_coco.json \\
        data/coco/annotations/caption_vocab.json --splits train restval --min-freq 5
"""
import argparse

from visft_mm.datasets.captions import Vocabulary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('ann_file', help='COCO captions_*.json or Karpathy dataset_coco.json')
    parser.add_argument('out')
    parser.add_argument('--splits', nargs='*', default=['train', 'restval'], help='Karpathy splits to count')
    parser.add_argument('--min-freq', type=int, default=5)
    args = parser.parse_args()
    try:
        vocab = Vocabulary.from_annotations(args.ann_file, args.splits, args.min_freq)
    except (ValueError, FileNotFoundError) as e:
        raise SystemExit(f'error: {e}')
    vocab.save(args.out)
    print(f'{len(vocab)} words (min frequency {args.min_freq}) -> {args.out}')


if __name__ == '__main__':
    main()
