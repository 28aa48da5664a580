from .checkpoint_compat import patch_mmengine_checkpoint_loading

patch_mmengine_checkpoint_loading()

__all__ = ['patch_mmengine_checkpoint_loading']
