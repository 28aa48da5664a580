"""ViSFT's out-of-domain benchmarks as one resumable suite, laid out like the paper's tables (issue: Tables 3-12).

Not imported by ``import visft_mm``: ``tools/visft_benchmark.py`` and the demo use it.
"""
from .report import write_report
from .suite import BenchmarkSuite, file_fingerprint
from .tables import load_table, markdown_table, plot_table

__all__ = ['BenchmarkSuite', 'file_fingerprint', 'load_table', 'markdown_table', 'plot_table', 'write_report']
