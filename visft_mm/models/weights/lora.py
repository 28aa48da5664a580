"""LoRA through peft on any module: injection, LoRA-only state dicts, merging (peft's merge, the only one).

peft's ``inject_adapter_in_model`` wraps each targeted ``nn.Linear`` in a ``lora.Linear`` whose frozen weight moves
to ``<name>.base_layer``.  The helpers here keep that detail out of the rest of visft_mm: checkpoints without LoRA
(EVA-CLIP, timm, ...) load into a LoRA-wrapped model, and the merged model exports plain ``<name>.weight`` keys.
"""
import os
from typing import Dict, Iterable, Optional

import torch
import torch.nn as nn
from peft import LoraConfig, get_peft_model_state_dict, inject_adapter_in_model
from peft.tuners.lora import LoraLayer, LoraModel
from safetensors.torch import save_file

ADAPTER = 'default'


def inject_lora(module: nn.Module, r: int = 64, alpha: float = 1.0, dropout: float = 0.0,
                targets: Iterable[str] = ('q_proj', 'v_proj')) -> nn.Module:
    """Wrap every ``nn.Linear`` whose name ends with one of ``targets`` in a peft LoRA layer (scaling alpha / r).

    peft freezes everything else in ``module``.  Raises if a target matches nothing, so a typo cannot silently
    train no adapter.
    """
    return inject_adapter_in_model(_lora_config(module, r, alpha, dropout, targets), module, adapter_name=ADAPTER)


def _lora_config(module: nn.Module, r: int, alpha: float, dropout: float, targets: Iterable[str]) -> LoraConfig:
    targets = list(targets)
    for target in targets:
        if not any(name.split('.')[-1] == target and isinstance(m, nn.Linear) for name, m in module.named_modules()):
            raise ValueError(f'LoRA target {target!r} matches no nn.Linear in {type(module).__name__}')
    return LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=targets, bias='none')


def merge_into_plain(module: nn.Module, tensors: Dict[str, torch.Tensor], r: int, alpha: float) -> None:
    """Fold LoRA matrices (``<linear>.lora_A`` / ``<linear>.lora_B`` keys, no adapter name) into a module without
    LoRA layers, with peft's own merge: wrap the targets (``LoraModel``), load the matrices, ``merge_and_unload``.
    The module is plain again afterwards (same keys, same ``requires_grad``), its weights ``W + B @ A * alpha / r``.

    Every caller that merges goes through peft (here, :func:`set_merged`, :func:`merged_plain_state_dict`): one
    merge arithmetic in visft_mm, peft's.
    """
    if lora_layers(module):
        raise ValueError(f'{type(module).__name__} already has LoRA layers: load into them instead')
    trainable = {name: p.requires_grad for name, p in module.named_parameters()}
    targets = sorted({key.rsplit('.', 2)[-2] for key in tensors})
    tuner = LoraModel(module, _lora_config(module, r, alpha, 0.0, targets), ADAPTER)
    state = {f'{k}.{ADAPTER}.weight': v for k, v in tensors.items()}
    result = module.load_state_dict(state, strict=False)
    wrapped = set(lora_state_dict(module))
    if result.unexpected_keys or not wrapped <= set(state):
        tuner.unload()
        raise ValueError(f'LoRA matrices do not match the {type(module).__name__} layers named {targets}: '
                         f'unexpected {sorted(result.unexpected_keys)[:4]}, missing {sorted(wrapped - set(state))[:4]}')
    tuner.merge_and_unload()
    for name, param in module.named_parameters():
        param.requires_grad_(trainable[name])


def lora_layers(module: nn.Module) -> Dict[str, LoraLayer]:
    return {name: m for name, m in module.named_modules() if isinstance(m, LoraLayer)}


def lora_state_dict(module: nn.Module) -> Dict[str, torch.Tensor]:
    """Only the LoRA weights, keyed as in ``module.state_dict()``."""
    return {k: v for k, v in module.state_dict().items() if '.lora_' in k}


def set_merged(module: nn.Module, merged: bool) -> None:
    """Fold the LoRA update into (or take it out of) every wrapped weight."""
    for layer in lora_layers(module).values():
        if merged and not layer.merged:
            layer.merge()
        elif not merged and layer.merged:
            layer.unmerge()


def to_plain_key(key: str) -> Optional[str]:
    """``x.q_proj.base_layer.weight`` -> ``x.q_proj.weight``; LoRA's own keys -> None."""
    if '.lora_' in key:
        return None
    return key.replace('.base_layer.', '.')


def plain_state(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """A state dict as it would be without LoRA: base-layer keys renamed, LoRA's own keys dropped."""
    return {plain: v for k, v in state.items() if (plain := to_plain_key(k)) is not None}


def merged_plain_state_dict(module: nn.Module) -> Dict[str, torch.Tensor]:
    """The state dict the module would have without LoRA, with the LoRA update folded in; module unchanged."""
    layers = lora_layers(module)
    was_merged = {name: layer.merged for name, layer in layers.items()}
    set_merged(module, True)
    try:
        return {k: v.detach().clone() for k, v in plain_state(module.state_dict()).items()}
    finally:
        for name, layer in layers.items():
            if not was_merged[name]:
                layer.unmerge()


def add_base_layer_keys(module: nn.Module, state_dict: Dict[str, torch.Tensor], prefix: str = '') -> None:
    """Rename plain keys of LoRA-wrapped layers in place (``q_proj.weight`` -> ``q_proj.base_layer.weight``)."""
    for name in lora_layers(module):
        for param in ('weight', 'bias'):
            plain = f'{prefix}{name}.{param}'
            if plain in state_dict:
                state_dict[f'{prefix}{name}.base_layer.{param}'] = state_dict.pop(plain)


def save_peft_adapter(module: nn.Module, out_dir: str) -> None:
    """Write the LoRA as a standard peft adapter folder (``adapter_config.json`` + ``adapter_model.safetensors``),
    loadable with ``peft.PeftModel.from_pretrained(<the same module without LoRA>, out_dir)``."""
    if not lora_layers(module):
        raise ValueError(f'{type(module).__name__} has no LoRA layers to save')
    os.makedirs(out_dir, exist_ok=True)
    module.peft_config[ADAPTER].save_pretrained(out_dir)
    state = get_peft_model_state_dict(module, adapter_name=ADAPTER)
    save_file({f'base_model.model.{k}': v.detach().contiguous() for k, v in state.items()},
              f'{out_dir}/adapter_model.safetensors')
