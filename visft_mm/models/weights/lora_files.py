"""ViSFT LoRA files: the three forms users have, read into one shape, checked, merged; and written back out.

==================  ===========================================================  ===============================
form                what it is                                                    rank / alpha / base weights
==================  ===========================================================  ===============================
``checkpoint``      a visft_mm stage-2 checkpoint (``iter_5000.pth``): LoRA       ``meta`` (checkpoint.meta)
                    under the model's prefix (``backbone.blocks.N.attn.q_proj.
                    lora_A.default.weight``)
``peft``            a peft adapter folder (``adapter_config.json`` +               ``adapter_config.json``;
                    ``adapter_model.safetensors`` / ``.bin``)                      ``visft_mm_meta.json`` if ours
``official``        the released ViSFT LoRA (loralib ``MergedLinear`` on the       rank from ``lora_A``; alpha 1
                    fused qkv: ``visual.blocks.N.attn.qkv.lora_A`` / ``lora_B``)   (the reference); none recorded
==================  ===========================================================  ===============================

Every evaluation loads its LoRA through :func:`merge_lora_file` (via ``EVAPretrained(lora=...)``): the keys must
cover exactly the backbone's blocks, ranks agree, and where the file records the arch and the base weights'
fingerprint they must be this backbone's.  A plain backbone gets ``W += B @ A * alpha / r`` folded into its q / v
weights by peft's merge (:func:`~.lora.merge_into_plain`; evaluation costs nothing extra); a backbone built with
``lora=`` gets the LoRA layers loaded instead.
"""
import json
import os
import os.path as osp
import re
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.logging import MMLogger

from visft_mm.checkpoint import meta as checkpoint_meta
from visft_mm.checkpoint.io import is_remote, load_checkpoint_file, load_safetensors
from visft_mm.checkpoint.keys import key_diff
from .eva_formats import export_state_dict, peft_lora_to_official
from .lora import ADAPTER, lora_layers, lora_state_dict, merge_into_plain, merged_plain_state_dict, save_peft_adapter

META_FILE = 'visft_mm_meta.json'  # beside a peft adapter we export: the visft_mm.checkpoint.meta entries
FORMS = ('checkpoint', 'peft', 'official')
# EVAViT's peft key of one LoRA matrix, under any model prefix; group 1 is the prefix, 2 the key in the backbone
_PEFT_KEY = re.compile(r'^(.*?)(blocks\.\d+\.attn\.\w+\.lora_[AB])(?:\.default)?\.weight$')
_OFFICIAL_KEY = re.compile(r'^(?:visual\.)?blocks\.(\d+)\.attn\.qkv\.lora_([AB])$')


class LoraFileError(ValueError):
    """A LoRA file that does not fit the backbone; the message names the file and what differs."""


@dataclass
class LoraWeights:
    """LoRA matrices keyed ``blocks.N.attn.<proj>.lora_A`` / ``lora_B`` (no adapter name), with what the file
    says about how it was trained."""
    source: str
    form: str
    tensors: Dict[str, torch.Tensor]
    rank: int
    alpha: Optional[float]
    meta: dict = field(default_factory=dict)

    @property
    def targets(self):
        return sorted({k.split('.')[3] for k in self.tensors})


def _error(source, message):
    return LoraFileError(f'LoRA {source!r}: {message}')


def _collect(state: Dict[str, torch.Tensor], source: str) -> Dict[str, torch.Tensor]:
    """LoRA matrices of a state dict under any one model prefix (``backbone.``, ``base_model.model.``, ...)."""
    found, prefixes = {}, set()
    for key, value in state.items():
        match = _PEFT_KEY.match(key)
        if match and isinstance(value, torch.Tensor):
            prefixes.add(match.group(1))
            found[match.group(2)] = value
    if len(prefixes) > 1:
        raise _error(source, f'holds LoRA weights under several model prefixes {sorted(prefixes)}')
    return found


def _from_official(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """loralib MergedLinear on qkv (enable_lora=[q, v]): lora_A [2r, D] rows :r for q; lora_B [2D, r] rows :D."""
    out = {}
    for key, value in state.items():
        match = _OFFICIAL_KEY.match(key)
        if match:
            block, which = match.groups()
            for proj, part in zip(('q_proj', 'v_proj'), value.chunk(2, dim=0)):
                out[f'blocks.{block}.attn.{proj}.lora_{which}'] = part
    return out


def _rank(tensors: Dict[str, torch.Tensor], source: str) -> int:
    ranks = {v.shape[0] for k, v in tensors.items() if k.endswith('lora_A')}
    ranks |= {v.shape[1] for k, v in tensors.items() if k.endswith('lora_B')}
    if len(ranks) != 1:
        raise _error(source, f'its LoRA matrices disagree on the rank: {sorted(ranks)}')
    return ranks.pop()


def _read_peft_folder(path: str) -> LoraWeights:
    config_file = osp.join(path, 'adapter_config.json')
    if not osp.isfile(config_file):
        raise _error(path, 'is a folder without adapter_config.json: not a peft adapter folder')
    with open(config_file) as f:
        config = json.load(f)
    weights = [osp.join(path, n) for n in ('adapter_model.safetensors', 'adapter_model.bin')]
    weights = [w for w in weights if osp.isfile(w)]
    if not weights:
        raise _error(path, 'has no adapter_model.safetensors or adapter_model.bin')
    try:
        state = load_safetensors(weights[0]) if weights[0].endswith('.safetensors') else \
            load_checkpoint_file(weights[0])
    except ValueError as e:
        raise _error(path, str(e)) from e
    tensors = _collect(state, path)
    if not tensors:
        raise _error(path, f'{osp.basename(weights[0])} holds no blocks.N.attn.<proj>.lora_A/B weights')
    rank = _rank(tensors, path)
    if config.get('r') not in (None, rank):
        raise _error(path, f'adapter_config.json says r={config["r"]} but the weights have rank {rank}')
    meta = {}
    if osp.isfile(osp.join(path, META_FILE)):
        with open(osp.join(path, META_FILE)) as f:
            meta = json.load(f)
    return LoraWeights(path, 'peft', tensors, rank, config.get('lora_alpha'), meta)


def read_lora(path: str, alpha: Optional[float] = None) -> LoraWeights:
    """Read a ViSFT LoRA in any of :data:`FORMS`; ``alpha`` overrides (or supplies) the file's LoRA alpha."""
    if osp.isdir(path):
        lora = _read_peft_folder(path)
    else:
        if not is_remote(path) and not osp.exists(path):
            raise FileNotFoundError(f'LoRA file {path!r} does not exist')
        obj = load_checkpoint_file(path)
        meta = obj.get('meta') if isinstance(obj, dict) and isinstance(obj.get('meta'), dict) else {}
        state = obj.get('state_dict', obj) if isinstance(obj, dict) else obj
        if not isinstance(state, dict):
            raise _error(path, f'holds a {type(state).__name__}, not a state dict')
        if any(_OFFICIAL_KEY.match(k) for k in state):
            tensors, form, file_alpha = _from_official(state), 'official', 1.0  # the reference: alpha 1
        else:
            tensors, form = _collect(state, path), 'checkpoint'
            file_alpha = (meta.get('lora') or {}).get('alpha')
        if not tensors:
            raise _error(path, 'holds no LoRA weights (expected a visft_mm stage-2 checkpoint, a peft adapter '
                               'folder, or the official visual.blocks.N.attn.qkv.lora_A / lora_B file)')
        lora = LoraWeights(path, form, tensors, _rank(tensors, path), file_alpha, meta)
    if alpha is not None:
        lora.alpha = float(alpha)
    if lora.alpha is None:
        raise _error(path, 'records no LoRA alpha (meta["lora"]["alpha"], adapter_config.json lora_alpha): '
                           'give it, e.g. init_cfg=dict(type="EVAPretrained", ..., lora_alpha=1) for the paper\'s '
                           'setting')
    return lora


def _check_fits(backbone: nn.Module, lora: LoraWeights) -> None:
    """The file's matrices must be exactly A [r, in] and B [out, r] of its targets in every block."""
    expected = {}
    for i, block in enumerate(backbone.blocks):
        for proj in lora.targets:
            layer = getattr(block.attn, proj, None)
            if isinstance(layer, nn.Module):
                layer = getattr(layer, 'base_layer', layer)
                expected[f'blocks.{i}.attn.{proj}.lora_A'] = torch.Size((lora.rank, layer.in_features))
                expected[f'blocks.{i}.attn.{proj}.lora_B'] = torch.Size((layer.out_features, lora.rank))
    diff = key_diff(lora.tensors, expected)
    if diff:
        raise _error(lora.source, f'does not fit EVAViT(embed_dims={backbone.embed_dims}, '
                                  f'num_layers={len(backbone.blocks)}) with LoRA rank {lora.rank} on '
                                  f'{lora.targets}: {diff}')


def merge_lora(backbone: nn.Module, lora: LoraWeights, logger=None) -> None:
    """Check ``lora`` against ``backbone`` (an EVAViT) and put it in: merged into the plain weights, or loaded into
    the backbone's own LoRA layers when it was built with ``lora=``."""
    logger = logger or MMLogger.get_current_instance()
    _check_fits(backbone, lora)
    where = f'LoRA {lora.source!r} ({lora.form})'
    if lora.form == 'checkpoint' and lora.meta.get('lora') and lora.meta['lora'].get('r') not in (None, lora.rank):
        raise _error(lora.source, f'meta says r={lora.meta["lora"]["r"]} but the weights have rank {lora.rank}')
    if not checkpoint_meta.check_backbone(lora.meta, backbone, where):
        logger.warning(f'{where} records no fingerprint of the EVA-CLIP weights it was trained on: make sure '
                       'init_cfg.checkpoint is that file (the released E LoRA: EVA02_CLIP_E_psz14_plus_s9B.pt)')
    layers = lora_layers(backbone)
    if layers:
        cfg = backbone.lora_cfg or {}
        if lora.rank != cfg.get('r') or float(lora.alpha) != float(cfg.get('alpha', 1.0)):
            raise _error(lora.source, f'has rank {lora.rank}, alpha {lora.alpha}; the backbone was built with '
                                      f'lora=dict(r={cfg.get("r")}, alpha={cfg.get("alpha", 1.0)})')
        state = {f'{k}.{ADAPTER}.weight': v for k, v in lora.tensors.items()}
        diff = key_diff(state, lora_state_dict(backbone))
        if diff:
            raise _error(lora.source, f'LoRA layers differ from the backbone\'s: {diff}')
        backbone.load_state_dict(state, strict=False)
        logger.info(f'loaded {where} into the backbone\'s LoRA layers (rank {lora.rank})')
        return
    merge_into_plain(backbone, lora.tensors, lora.rank, float(lora.alpha))
    logger.info(f'merged {where} into the backbone: rank {lora.rank}, alpha {lora.alpha}, targets '
                f'{lora.targets}, {len(lora.tensors) // 2} layers')


def merge_lora_file(backbone: nn.Module, path: str, alpha: Optional[float] = None) -> LoraWeights:
    """:func:`read_lora` + :func:`merge_lora`."""
    lora = read_lora(path, alpha)
    merge_lora(backbone, lora)
    return lora


def export_lora(backbone: nn.Module, adapter_dir: Optional[str] = None, official: Optional[str] = None,
                merged: Optional[str] = None, fmt: str = 'eva_clip', template: Optional[dict] = None) -> dict:
    """Write a LoRA-carrying EVAViT as the files users pass on: a peft adapter folder (+ our meta), the official
    ViSFT layout, and the backbone with the LoRA merged in ``fmt``'s layout (``template``: a full checkpoint of
    that layout whose other entries, e.g. the text tower, are kept).  Returns {kind: path} of what was written."""
    if not lora_layers(backbone):
        raise ValueError(f'{type(backbone).__name__} has no LoRA layers to export')
    written = {}
    if adapter_dir:
        save_peft_adapter(backbone, adapter_dir)
        with open(osp.join(adapter_dir, META_FILE), 'w') as f:
            json.dump(checkpoint_meta.describe(backbone, backbone), f, indent=1)
        written['peft'] = adapter_dir
    if official:
        os.makedirs(osp.dirname(osp.abspath(official)), exist_ok=True)
        torch.save(peft_lora_to_official(lora_state_dict(backbone)), official)
        written['official'] = official
    if merged:
        os.makedirs(osp.dirname(osp.abspath(merged)), exist_ok=True)
        torch.save(export_state_dict(merged_plain_state_dict(backbone), fmt, template=template), merged)
        written['merged'] = merged
    return written
