from .checkpoint_compat import patch_mmengine_checkpoint_loading
from .hooks import TrainableCheckpointHook
from .loops import MultiTaskTestLoop, MultiTaskValLoop, TaskSampler, TaskSamplingTrainLoop
from .optimizers import ZeroConsolidateHook, ZeroRedundancyOptimizer

patch_mmengine_checkpoint_loading()

__all__ = [
    'patch_mmengine_checkpoint_loading', 'TrainableCheckpointHook', 'MultiTaskTestLoop', 'MultiTaskValLoop',
    'TaskSampler', 'TaskSamplingTrainLoop', 'ZeroConsolidateHook', 'ZeroRedundancyOptimizer'
]
