"""Weights in and out of the backbone: EVA-CLIP formats (:mod:`.eva_formats`), peft LoRA (:mod:`.lora`), the ViSFT
LoRA files (:mod:`.lora_files`) and the ``EVAPretrained`` initializer (:mod:`.eva_pretrained`).

Below :mod:`visft_mm.models.backbones` (which imports :mod:`.lora`); knows no backbone class: a backbone is what
has ``arch``, ``blocks``, ``embed_dims`` and ``lora_cfg``.
"""
from .eva_formats import CheckpointFormatError, load_eva_weights
from .eva_pretrained import EVAPretrained
from .lora_files import LoraFileError, export_lora, merge_lora_file, read_lora

__all__ = ['CheckpointFormatError', 'EVAPretrained', 'LoraFileError', 'export_lora', 'load_eva_weights',
           'merge_lora_file', 'read_lora']
