"""Zero-shot classification and retrieval (configs/zero_shot/): EVA-CLIP with an EVAViT vision tower and open_clip's
text tower."""
from .zero_shot_clip import ZeroShotCLIP

__all__ = ['ZeroShotCLIP']
