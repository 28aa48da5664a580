from .backbone_features import BackboneFeatures
from .eva_vit import EVAViT

__all__ = ['BackboneFeatures', 'EVAViT']
