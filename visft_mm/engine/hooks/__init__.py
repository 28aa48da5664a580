from .atomic_checkpoint_hook import AtomicCheckpointHook
from .class_list_check_hook import ClassListCheckHook
from .init_weights_hook import InitWeightsHook
from .non_finite_guard_hook import NonFiniteGuardHook
from .safe_checkpoint_load_hook import SafeCheckpointLoadHook
from .trainable_checkpoint_hook import TrainableCheckpointHook
from .unreadable_image_count_hook import UnreadableImageCountHook
from .val_before_train_hook import ValidateBeforeTrainHook

__all__ = ['AtomicCheckpointHook', 'ClassListCheckHook', 'InitWeightsHook', 'NonFiniteGuardHook',
           'SafeCheckpointLoadHook', 'TrainableCheckpointHook', 'UnreadableImageCountHook', 'ValidateBeforeTrainHook']
