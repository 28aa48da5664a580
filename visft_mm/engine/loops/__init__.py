from .multi_task_eval import MultiTaskTestLoop, MultiTaskValLoop
from .task_sampling import TaskSampler, TaskSamplingTrainLoop

__all__ = ['MultiTaskTestLoop', 'MultiTaskValLoop', 'TaskSampler', 'TaskSamplingTrainLoop']
