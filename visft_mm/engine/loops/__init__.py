from .multi_task_eval import MultiTaskTestLoop, MultiTaskValLoop
from .task_sampling import TaskSampler, TaskSamplingHook, TaskSamplingIterator, TaskSamplingTrainLoop

__all__ = [
    'MultiTaskTestLoop', 'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingHook', 'TaskSamplingIterator',
    'TaskSamplingTrainLoop'
]
