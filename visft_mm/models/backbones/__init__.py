from .attention_maps import ClsAttention, attention_weights, cls_attention
from .backbone_features import BackboneFeatures
from .eva_vit import EVAViT

__all__ = ['BackboneFeatures', 'ClsAttention', 'EVAViT', 'attention_weights', 'cls_attention']
