"""``init_cfg=dict(type='SafePretrained', checkpoint=...)``: mmengine's ``Pretrained``, reading the file safely.

mmengine's ``Pretrained`` hands an ``http(s)://`` checkpoint to ``torch.hub``, which unpickles it with
``weights_only=False``: a crafted file runs code.  This initializer reads the file (or the downloaded URL) with
``weights_only=True`` and names it when refused, then loads it exactly as ``Pretrained`` does (non-strict, optional
``prefix``).  Used where a whole-model checkpoint initialises an upstream model (mmpretrain's BLIP-2).
"""
from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit, update_init_info

from visft_mm.checkpoint.io import load_checkpoint_file
from visft_mm.registry import WEIGHT_INITIALIZERS


@WEIGHT_INITIALIZERS.register_module()
class SafePretrained(PretrainedInit):
    """``Pretrained`` (same arguments) whose file is read with ``weights_only=True`` (URLs downloaded first)."""

    def __call__(self, module):
        from mmengine.runner.checkpoint import _load_checkpoint_to_model, load_state_dict
        print_log(f'load {self.prefix or "model"} from: {self.checkpoint} (weights only)', logger='current')
        checkpoint = load_checkpoint_file(self.checkpoint, map_location=self.map_location)
        if self.prefix is None:
            _load_checkpoint_to_model(module, checkpoint, strict=False, logger='current')
        else:
            state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else {}
            state = {k[len(self.prefix):]: v for k, v in state.items() if k.startswith(self.prefix)}
            if not state:
                raise ValueError(f'checkpoint {self.checkpoint!r} has no keys under prefix {self.prefix!r}')
            load_state_dict(module, state, strict=False, logger='current')
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())
