"""mmpretrain's BLIP-2 with LAVIS's protocol and an EVAViT vision tower (configs/blip2/), and the LAVIS checkpoint
keys."""
from .blip2 import Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA

__all__ = ['Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA']
