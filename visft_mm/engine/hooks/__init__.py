from .trainable_checkpoint_hook import TrainableCheckpointHook
from .val_before_train_hook import ValidateBeforeTrainHook

__all__ = ['TrainableCheckpointHook', 'ValidateBeforeTrainHook']
