"""visft_mm: ViSFT (arXiv 2401.10222) as an OpenMMLab plugin.

Importing the package registers every module in the ``visft_mm`` registry scope, so
``custom_imports=dict(imports=['visft_mm'])`` is all another OpenMMLab config needs.
"""
from . import datasets, engine, evaluation, models, visualization  # noqa: F401  (registration)
from .version import __version__

__all__ = ['__version__']
