from .hooks import (AtomicCheckpointHook, InitWeightsHook, NonFiniteGuardHook, SafeCheckpointLoadHook, TrainableCheckpointHook,
                    ValidateBeforeTrainHook)
from .loops import (MultiTaskTestLoop, MultiTaskValLoop, TaskSampler, TaskSamplingHook, TaskSamplingIterator,
                    TaskSamplingTrainLoop)
from .optimizers import ConsolidatingZeroRedundancyOptimizer, ZeroConsolidateHook

__all__ = [
    'AtomicCheckpointHook', 'InitWeightsHook', 'NonFiniteGuardHook', 'SafeCheckpointLoadHook', 'TrainableCheckpointHook',
    'ValidateBeforeTrainHook',
    'MultiTaskTestLoop', 'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingHook', 'TaskSamplingIterator',
    'TaskSamplingTrainLoop', 'ConsolidatingZeroRedundancyOptimizer', 'ZeroConsolidateHook'
]
