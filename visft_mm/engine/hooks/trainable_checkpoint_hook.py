"""Checkpoints without the frozen weights.

With a frozen 1-4.4 B backbone, a stage-1 checkpoint needs only the head and a stage-2 checkpoint only the LoRA
weights; the frozen ones come from ``init_cfg`` (the EVA-CLIP file) every time the model is built.
"""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from visft_mm.checkpoint import meta as checkpoint_meta
from visft_mm.models.backbones import find_backbone
from visft_mm.registry import HOOKS
from ..strategies import (check_frozen_sharded, dropped_state_keys, is_fsdp, refuse_lossy_strategy,
                          sharded_fingerprints)


@HOOKS.register_module()
class TrainableCheckpointHook(Hook):
    """Save only parameters that require grad (buffers are kept); fill the rest back in from the model on load.

    The frozen weights come from the model's own initialisation (``init_cfg``): the runner's in ``train()``,
    :class:`InitWeightsHook`'s in ``test()`` / ``val()``, which runs before this hook.  The meta (:mod:`visft_mm.checkpoint.meta`) records
    the frozen weights a checkpoint was trained with; loading into a model whose frozen weights differ (another EVA-CLIP file, another
    arch, an unseeded random backbone) is an error instead of a silently wrong model.
    """

    priority = 'VERY_LOW'  # after every other hook has added its part of the checkpoint

    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def before_run(self, runner) -> None:
        refuse_lossy_strategy(getattr(runner, 'strategy', None))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        model = self._model(runner)
        sharded = is_fsdp(runner.model)  # every rank saves its pieces (FSDPStrategy calls this on every rank)
        frozen = (dropped_state_keys(runner.model) if sharded else
                  {name for name, p in model.named_parameters() if not p.requires_grad})
        state = checkpoint['state_dict']
        checkpoint['state_dict'] = type(state)((k, v) for k, v in state.items() if k not in frozen)
        meta = checkpoint.setdefault('meta', {})
        meta['frozen_keys_dropped'] = len(state) - len(checkpoint['state_dict'])
        meta.update(checkpoint_meta.describe(model, find_backbone(model)))
        if sharded:  # fingerprints are sums: the pieces' sums add up to the whole weights'
            meta.update(sharded_fingerprints(runner.model))

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.get('meta', {})
        if not meta.get('frozen_keys_dropped'):
            return
        model = self._model(runner)
        if is_fsdp(runner.model):  # a 'full' state dict: FSDP loads it with strict=False, the rest stays as built
            check_frozen_sharded(meta, runner.model, 'the checkpoint')
            runner.logger.info('FSDP: the frozen weights not in the checkpoint stay as initialised (init_cfg)')
            return
        checkpoint_meta.check_frozen(meta, model, 'the checkpoint')
        state = checkpoint['state_dict']
        own = model.state_dict()
        filled = [k for k in own if k not in state]
        for key in filled:
            state[key] = own[key]
        runner.logger.info(f'{len(filled)} frozen tensors not in the checkpoint are kept from the model '
                           'initialisation (init_cfg)')
