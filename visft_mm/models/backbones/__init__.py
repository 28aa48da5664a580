from .attention_maps import ClsAttention, attention_weights, cls_attention
from .backbone_features import BackboneFeatures
from .eva_vit import EVAViT
from .find_backbone import find_backbone

__all__ = ['BackboneFeatures', 'ClsAttention', 'EVAViT', 'attention_weights', 'cls_attention', 'find_backbone']
