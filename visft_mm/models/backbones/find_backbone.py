"""The one EVA-ViT inside a model, for what a checkpoint records of it (:func:`visft_mm.checkpoint.meta.describe`)."""
from typing import Optional

import torch.nn as nn

from .eva_vit import EVAViT


def find_backbone(model: nn.Module) -> Optional[EVAViT]:
    """The one EVAViT in ``model`` (whatever attribute holds it: ``backbone``, ``vision_backbone``, ...)."""
    found = [m for m in model.modules() if isinstance(m, EVAViT)]
    if len(found) > 1:
        raise ValueError(f'{type(model).__name__} holds {len(found)} EVAViT backbones; expected one')
    return found[0] if found else None
