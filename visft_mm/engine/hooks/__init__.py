from .class_list_check_hook import ClassListCheckHook
from .trainable_checkpoint_hook import TrainableCheckpointHook

__all__ = ['ClassListCheckHook', 'TrainableCheckpointHook']
