"""Helpers for tests and the demo, apart from the package's runtime (as ``mmdet.testing``).

Synthetic data written in the real formats (COCO, Karpathy, clovaai LMDB, mmocr, M3IT, EVA-CLIP, ...) so that the real readers run on it.
Not imported by ``import visft_mm``.
"""
from .synthetic import (SyntheticCocoGenerator, SyntheticDataConfig, generate_benchmark_data,
                        generate_synthetic_data)

__all__ = ['SyntheticCocoGenerator', 'SyntheticDataConfig', 'generate_benchmark_data', 'generate_synthetic_data']
