"""visft_mm: ViSFT (arXiv 2401.10222) as an OpenMMLab plugin.

Importing the package creates the ``visft_mm`` registry scope (:mod:`visft_mm.registry`); each registry node
imports the subpackage that fills it the first time a name is looked up in it, as mmdet's and mmpretrain's do.
So ``custom_imports=dict(imports=['visft_mm'])`` is all another OpenMMLab config needs, and importing one floor
(``visft_mm.checkpoint``, ``visft_mm.models``) loads nothing above it.  The one process-wide effect: torch's
``weights_only`` allow-list learns the globals of mmengine's own checkpoints (:mod:`visft_mm.checkpoint.io`).
"""
from . import registry  # noqa: F401  (the registry nodes)
from .checkpoint.io import allow_mmengine_checkpoint_globals
from .version import __version__

allow_mmengine_checkpoint_globals()

__all__ = ['__version__']
