from .attention_maps import ClsAttention, attention_weights, cls_attention
from .backbone_features import BackboneFeatures
from .eva_init import EVAPretrained
from .eva_vit import EVAViT

__all__ = ['BackboneFeatures', 'ClsAttention', 'EVAPretrained', 'EVAViT', 'attention_weights', 'cls_attention']
