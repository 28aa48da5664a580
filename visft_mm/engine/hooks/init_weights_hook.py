"""The one owner of weight initialisation outside training.

mmengine's runner calls ``init_weights`` in ``train()`` only; ``test()`` and ``val()`` evaluate the model as built.
For visft_mm's models "as built" is random: the frozen EVA-CLIP weights, the ViSFT LoRA, the zero-shot text tower
and BLIP-2's parts all come from ``init_cfg`` at ``init_weights`` time, and checkpoints hold only what trained.
"""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from visft_mm.registry import HOOKS


@HOOKS.register_module()
class InitWeightsHook(Hook):
    """Initialise an uninitialised model (``init_weights``, i.e. its ``init_cfg``) before anything is evaluated.

    - A checkpoint is loaded (``load_from``, ``tools/test.py CONFIG CKPT``): the model is initialised first, then
      the checkpoint's tensors go over it, so the weights a checkpoint leaves out (the frozen backbone) are
      ``init_cfg``'s and never random. ``TrainableCheckpointHook`` then checks them against the checkpoint's meta.
    - No checkpoint: the model is initialised when validation or testing starts.
    - In ``train()`` the runner has initialised the model already: nothing happens.
    """

    priority = 'VERY_HIGH'  # before TrainableCheckpointHook fills the checkpoint's gaps from the model

    @staticmethod
    def _initialise(runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if not getattr(model, 'is_init', False):
            runner.logger.info(f'initialising {type(model).__name__} from its init_cfg (mmengine initialises '
                               'weights only in train())')
            model.init_weights()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._initialise(runner)

    def before_val(self, runner) -> None:
        self._initialise(runner)

    def before_test(self, runner) -> None:
        self._initialise(runner)
