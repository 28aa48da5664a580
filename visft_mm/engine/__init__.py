from .checkpoint_compat import allow_mmengine_checkpoint_globals, load_checkpoint_file, localize_checkpoint
from .hooks import (AtomicCheckpointHook, NonFiniteGuardHook, SafeCheckpointLoadHook, TrainableCheckpointHook,
                    ValidateBeforeTrainHook)
from .loops import (MultiTaskTestLoop, MultiTaskValLoop, TaskSampler, TaskSamplingHook, TaskSamplingIterator,
                    TaskSamplingTrainLoop)
from .optimizers import ConsolidatingZeroRedundancyOptimizer, ZeroConsolidateHook

# torch >= 2.6 loads mmengine's own checkpoints (weights_only stays on; see checkpoint_compat)
allow_mmengine_checkpoint_globals()

__all__ = [
    'allow_mmengine_checkpoint_globals', 'load_checkpoint_file', 'localize_checkpoint', 'AtomicCheckpointHook',
    'NonFiniteGuardHook', 'SafeCheckpointLoadHook', 'TrainableCheckpointHook', 'ValidateBeforeTrainHook',
    'MultiTaskTestLoop', 'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingHook', 'TaskSamplingIterator',
    'TaskSamplingTrainLoop', 'ConsolidatingZeroRedundancyOptimizer', 'ZeroConsolidateHook'
]
