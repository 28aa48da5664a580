from .hooks import (AtomicCheckpointHook, InitWeightsHook, NonFiniteGuardHook, SafeCheckpointLoadHook,
                    TrainableCheckpointHook, UnreadableImageCountHook, ValidateBeforeTrainHook)
from .loops import (MultiTaskTestLoop, MultiTaskValLoop, TaskSampler, TaskSamplingHook, TaskSamplingIterator,
                    TaskSamplingTrainLoop)
from .optimizers import ConsolidatingZeroRedundancyOptimizer, ZeroConsolidateHook

__all__ = [
    'AtomicCheckpointHook', 'InitWeightsHook', 'NonFiniteGuardHook', 'SafeCheckpointLoadHook',
    'TrainableCheckpointHook',
    'UnreadableImageCountHook', 'ValidateBeforeTrainHook',
    'MultiTaskTestLoop', 'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingHook', 'TaskSamplingIterator',
    'TaskSamplingTrainLoop', 'ConsolidatingZeroRedundancyOptimizer', 'ZeroConsolidateHook'
]
