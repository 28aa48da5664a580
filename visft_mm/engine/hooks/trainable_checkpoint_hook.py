"""Checkpoints without the frozen weights.

With a frozen 1-4.4 B backbone, a stage-1 checkpoint needs only the head and a stage-2 checkpoint only the LoRA
weights; the frozen ones come from ``init_cfg`` (the EVA-CLIP file) every time the model is built.
"""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from visft_mm.registry import HOOKS


@HOOKS.register_module()
class TrainableCheckpointHook(Hook):
    """Save only parameters that require grad (buffers are kept); fill the rest back in from the model on load.

    Loading happens after ``init_weights`` in mmengine's runner, so the frozen weights the model holds then are the
    pretrained ones the checkpoint was trained on.  ``meta['frozen_keys_dropped']`` records how many were dropped.
    """

    priority = 'VERY_LOW'  # after every other hook has added its part of the checkpoint

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        frozen = {name for name, p in self._model(runner).named_parameters() if not p.requires_grad}
        state = checkpoint['state_dict']
        checkpoint['state_dict'] = type(state)((k, v) for k, v in state.items() if k not in frozen)
        checkpoint.setdefault('meta', {})['frozen_keys_dropped'] = len(state) - len(checkpoint['state_dict'])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not checkpoint.get('meta', {}).get('frozen_keys_dropped'):
            return
        state = checkpoint['state_dict']
        own = self._model(runner).state_dict()
        filled = [k for k in own if k not in state]
        for key in filled:
            state[key] = own[key]
        runner.logger.info(f'{len(filled)} frozen tensors not in the checkpoint are kept from the model '
                           'initialisation (init_cfg)')
