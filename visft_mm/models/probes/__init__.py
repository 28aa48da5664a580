from .blip2 import Blip2LAVISCaption, Blip2LAVISRetrieval, Blip2LAVISVQA

__all__ = ['Blip2LAVISCaption', 'Blip2LAVISRetrieval', 'Blip2LAVISVQA']
