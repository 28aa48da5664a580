from .loading import LoadImageFromBase64

__all__ = ['LoadImageFromBase64']
