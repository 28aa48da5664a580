from .checkpoint_compat import patch_mmengine_checkpoint_loading
from .hooks import TrainableCheckpointHook

patch_mmengine_checkpoint_loading()

__all__ = ['patch_mmengine_checkpoint_loading', 'TrainableCheckpointHook']
