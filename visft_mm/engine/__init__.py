from .checkpoint_compat import patch_mmengine_checkpoint_loading
from .hooks import TrainableCheckpointHook, ValidateBeforeTrainHook
from .loops import (MultiTaskTestLoop, MultiTaskValLoop, TaskSampler, TaskSamplingHook, TaskSamplingIterator,
                    TaskSamplingTrainLoop)
from .optimizers import ConsolidatingZeroRedundancyOptimizer, ZeroConsolidateHook

patch_mmengine_checkpoint_loading()

__all__ = [
    'patch_mmengine_checkpoint_loading', 'TrainableCheckpointHook', 'ValidateBeforeTrainHook', 'MultiTaskTestLoop',
    'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingHook', 'TaskSamplingIterator', 'TaskSamplingTrainLoop',
    'ConsolidatingZeroRedundancyOptimizer', 'ZeroConsolidateHook'
]
