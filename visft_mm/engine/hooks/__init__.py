from .trainable_checkpoint_hook import TrainableCheckpointHook

__all__ = ['TrainableCheckpointHook']
