from .attention_maps import ClsAttention, attention_weights, cls_attention
from .backbone_features import BackboneFeatures
from .clip_vit_families import CLIPViT
from .eva_init import EVAPretrained
from .eva_vit import EVAViT

__all__ = ['BackboneFeatures', 'CLIPViT', 'ClsAttention', 'EVAPretrained', 'EVAViT', 'attention_weights', 'cls_attention']
