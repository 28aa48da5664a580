from .attention_maps import ClsAttention, attention_weights, cls_attention, pool_attention_weights, pooled_attention
from .backbone_features import BackboneFeatures
from .clip_vit_families import CLIPViT
from .eva_vit import EVAViT
from .find_backbone import find_backbone

__all__ = ['BackboneFeatures', 'CLIPViT', 'ClsAttention', 'EVAViT', 'attention_weights', 'cls_attention',
           'find_backbone', 'pool_attention_weights', 'pooled_attention']
