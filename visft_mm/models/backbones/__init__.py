from .backbone_features import BackboneFeatures
from .eva_init import EVAPretrained
from .eva_vit import EVAViT

__all__ = ['BackboneFeatures', 'EVAPretrained', 'EVAViT']
