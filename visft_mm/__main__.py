"""``python -m visft_mm train|test CONFIG ...``: tools/train.py and tools/test.py for an installed visft_mm (no
source checkout needed; the wheel's console scripts ``visft-train`` / ``visft-test`` are the same).  The benchmark
runner launches this module under torchrun, never a path into a checkout."""
import sys
from typing import List, Optional

from visft_mm.engine.launch import test_main, train_main

COMMANDS = dict(train=train_main, test=test_main)


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        raise SystemExit(f'usage: python -m visft_mm {{{",".join(COMMANDS)}}} CONFIG [options]  (--help after the '
                         f'command lists them); got {argv[:1]}')
    COMMANDS[argv[0]](argv[1:])


def train() -> None:
    """Console script ``visft-train``."""
    train_main()


def test() -> None:
    """Console script ``visft-test``."""
    test_main()


if __name__ == '__main__':
    main()
