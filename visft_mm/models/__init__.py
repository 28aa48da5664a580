from .backbones import EVAViT

__all__ = ['EVAViT']
