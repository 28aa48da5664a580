"""``init_cfg=dict(type='EVAPretrained', ...)``: EVA-CLIP weights (any layout) and, optionally, a ViSFT LoRA.

An initializer of its own, beside mmengine's ``Pretrained`` (which loads non-strictly and knows neither the EVA-CLIP
layouts nor LoRA files), so that ``init_cfg`` means one thing: every training stage and every evaluation builds its
backbone as ``EVAViT(..., init_cfg=dict(type='EVAPretrained', checkpoint=EVA_CLIP_FILE, lora=None or LORA))``.
"""
from typing import Iterable, Optional

from mmengine.logging import print_log

from visft_mm.registry import WEIGHT_INITIALIZERS
from .eva_formats import load_eva_weights, read_checkpoint
from .lora_files import merge_lora_file


@WEIGHT_INITIALIZERS.register_module()
class EVAPretrained:
    """Load EVA-CLIP vision weights strictly, then merge (or load) a ViSFT LoRA.

    Args:
        checkpoint: the EVA-CLIP file: original ``.pt``, open_clip, timm, LAVIS or visft_mm layout; a local path
            or an ``http(s)://`` URL (downloaded once, then read weights-only: :mod:`visft_mm.checkpoint.io`).
        lora: a ViSFT LoRA: a visft_mm stage-2 checkpoint, a peft adapter folder or the official ViSFT file
            (:mod:`visft_mm.models.weights.lora_files`); checked against the backbone and merged into its q / v weights.
            ``None``: the frozen pretrained backbone (the paper's "0k").
        lora_alpha: the LoRA alpha, for files that do not record it (the official file: 1).
        prefix: load the tensors under this prefix of a whole-model checkpoint (e.g. ``'backbone.'``).
        allow_missing / allow_unexpected: ``fnmatch`` patterns of EVAViT keys the file may lack / have extra
            (LAVIS files have no final norm: ``allow_missing=('norm.*',)``).
    """

    def __init__(self, checkpoint: str, lora: Optional[str] = None, lora_alpha: Optional[float] = None,
                 prefix: Optional[str] = None, allow_missing: Iterable[str] = (),
                 allow_unexpected: Iterable[str] = ('head.*', 'fc_norm.*'), fmt: Optional[str] = None):
        if not checkpoint:
            raise ValueError('EVAPretrained needs checkpoint=<EVA-CLIP file>')
        self.checkpoint = checkpoint
        self.lora = lora
        self.lora_alpha = lora_alpha
        self.prefix = prefix
        self.allow_missing = tuple(allow_missing)
        self.allow_unexpected = tuple(allow_unexpected)
        self.fmt = fmt

    def __call__(self, module) -> None:
        if not all(hasattr(module, name) for name in ('arch', 'blocks', 'lora_cfg')):
            raise TypeError(f'EVAPretrained initialises an EVAViT (arch, blocks, lora_cfg), not a '
                            f'{type(module).__name__}')
        source = self.checkpoint
        if self.prefix:
            state = read_checkpoint(self.checkpoint)
            source = {k[len(self.prefix):]: v for k, v in state.items() if k.startswith(self.prefix)}
            if not source:
                raise ValueError(f'{self.checkpoint!r} has no keys under prefix {self.prefix!r}')
        load_eva_weights(module, source, allow_missing=self.allow_missing, allow_unexpected=self.allow_unexpected,
                         fmt=self.fmt)
        if self.lora:
            merge_lora_file(module, self.lora, alpha=self.lora_alpha)
        print_log(f'EVAPretrained: {self.checkpoint}' + (f' + LoRA {self.lora}' if self.lora else ''),
                  logger='current')

    def _get_init_info(self) -> str:
        return f'EVAPretrained: {self.checkpoint}' + (f' + LoRA {self.lora}' if self.lora else '')
