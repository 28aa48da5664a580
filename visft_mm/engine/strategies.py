"""mmengine's distributed strategies with visft_mm's loops and hooks: which runner a config gets, which
strategies are refused, and what FSDP changes for our checkpoints.

``runner_type='FlexibleRunner'`` + ``strategy=dict(type='FSDPStrategy', ...)`` in a config trains it with FSDP
(``configs/**/*_fsdp.py``); without ``runner_type`` the config runs on mmengine's ``Runner`` (DDP) as before.

Under FSDP every rank holds a piece of each parameter: the hooks that look at parameters (the trainable-only
checkpoint filter, the frozen-weight fingerprints, the non-finite guard) use the helpers here to see whole
parameters under their plain names, and agree across ranks where each rank sees only its piece.
"""
import weakref
from typing import Iterable, Iterator, List, Tuple

import torch
import torch.nn as nn
from mmengine._strategy import FSDPStrategy
from mmengine.dist import all_reduce, get_world_size

from visft_mm.checkpoint.fsdp_keys import FLAT_PARAM, plain_key
from visft_mm.registry import FUNCTIONS, STRATEGIES

FSDP_STRATEGIES = ('FSDPStrategy', 'ResumableFSDPStrategy')

# strategies whose checkpoint save / resume skip the runner's callbacks: the hooks' checkpoint state is lost
LOSSY_STRATEGIES = {
    'DeepSpeedStrategy': 'mmengine 0.10.7 DeepSpeedStrategy.save_checkpoint / load_checkpoint / resume do not call '
                         'the runner\'s callbacks (before_save_checkpoint / after_load_checkpoint)',
    'ColossalAIStrategy': 'mmengine 0.10.7 ColossalAIStrategy.save_checkpoint / resume do not call the runner\'s '
                          'callbacks (before_save_checkpoint / after_load_checkpoint)',
}
LOST_STATE = ('the task-sampling state (TaskSamplingHook: seed, task probabilities, task counts, checked on '
              'resume), the frozen-weight fingerprints and the trainable-only filter (TrainableCheckpointHook) '
              'and the refusal of non-finite checkpoints (NonFiniteGuardHook)')


def strategy_name(strategy) -> str:
    """The class name of a strategy config (``dict(type=...)``, scope prefix dropped) or object."""
    if isinstance(strategy, dict):
        kind = strategy.get('type')
        return kind.split('.')[-1] if isinstance(kind, str) else getattr(kind, '__name__', str(kind))
    return type(strategy).__name__


def _fsdp_state_dict_type(strategy) -> str:
    if isinstance(strategy, dict):
        cfg = strategy.get('state_dict_cfg', 'local')
        return cfg if isinstance(cfg, str) else str(cfg.get('state_dict_type', 'LOCAL_STATE_DICT'))
    kind = getattr(strategy, 'state_dict_type', None)
    return getattr(kind, 'name', str(kind))


def refuse_lossy_strategy(strategy) -> None:
    """Raise if ``strategy`` (config or object) is one whose checkpoints would silently lose our hooks' state, or
    an FSDPStrategy whose checkpoints visft_mm cannot read back (anything but ``state_dict_cfg='full'``)."""
    if strategy is None:
        return
    if strategy_name(strategy) in FSDP_STRATEGIES and _fsdp_state_dict_type(strategy).lower() not in (
            'full', 'full_state_dict'):
        raise ValueError(
            f'FSDPStrategy with state_dict_cfg={_fsdp_state_dict_type(strategy)!r} is not supported by visft_mm: '
            "a 'local' / sharded checkpoint is a folder of rank files whose optimizer state is FSDP ShardedTensors, "
            'which torch\'s weights-only load (kept on by visft_mm) refuses and which only a process group of the '
            "same size can read, so neither --resume nor the LoRA export / --lora could read it. Set "
            "strategy.state_dict_cfg='full' (configs/_base_/fsdp_runtime.py): one file with plain keys, the DDP "
            "checkpoint's form")
    names = [strategy_name(strategy)] + ([c.__name__ for c in type(strategy).__mro__]
                                          if not isinstance(strategy, dict) else [])
    for name in names:
        if name in LOSSY_STRATEGIES:
            raise ValueError(
                f'strategy {strategy_name(strategy)!r} is not supported by visft_mm: {LOSSY_STRATEGIES[name]}, so '
                f'its checkpoints would silently lose {LOST_STATE}. Use '
                "runner_type='FlexibleRunner' with strategy=dict(type='FSDPStrategy', ...) (configs/**/*_fsdp.py) "
                'or the default Runner with DDP / ConsolidatingZeroRedundancyOptimizer')


def build_runner(cfg):
    """The runner a config asks for, as OpenMMLab's tools build it: ``Runner.from_cfg`` unless the config sets
    ``runner_type`` (then the RUNNERS registry, e.g. ``'FlexibleRunner'``); strategies that lose our checkpoint
    state are refused first."""
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    refuse_lossy_strategy(cfg.get('strategy'))
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def full_optim_state_dict(model: nn.Module, optimizer: torch.optim.Optimizer, state_dict_type, state_dict_config,
                          optim_state_dict_config) -> dict:
    """``FSDP.optim_state_dict`` of an FSDP model, correct when its compute device is the CPU.

    torch gathers every optimizer state of a unit (``exp_avg``, then ``exp_avg_sq``) into one reused buffer and,
    with ``offload_to_cpu=True`` (mmengine's ``'full'`` setting), keeps ``value.cpu()`` of views into it: a copy
    from a GPU, the buffer itself on the CPU, so every state of a CPU run holds the unit's last one (``exp_avg ==
    exp_avg_sq``) and a resume continues with a wrong AdamW state.  On the CPU the tensors are already there: gather
    without the offload (torch then clones each state); on a GPU nothing changes.
    """
    import dataclasses

    from torch.distributed.fsdp import FullyShardedDataParallel
    if getattr(optim_state_dict_config, 'offload_to_cpu', False) and model.compute_device.type == 'cpu':
        optim_state_dict_config = dataclasses.replace(optim_state_dict_config, offload_to_cpu=False)
    with FullyShardedDataParallel.state_dict_type(model, state_dict_type, state_dict_config,
                                                  optim_state_dict_config):
        return FullyShardedDataParallel.optim_state_dict(model, optimizer)


@STRATEGIES.register_module()
class ResumableFSDPStrategy(FSDPStrategy):
    """mmengine's ``FSDPStrategy`` whose checkpoints resume bit for bit on torch >= 2.1:

    - mmengine 0.10.7 passes ``FSDP.optim_state_dict_to_load`` its arguments in the torch 2.0 order ``(state,
      model, optim)``, torch now takes ``(model, optim, state)`` (``TypeError: unhashable type: 'dict'`` on every
      resume);
    - on the CPU, torch's full optimizer state dict gives every AdamW state the values of the last one gathered
      (:func:`full_optim_state_dict`), so a resumed run drifted from the uninterrupted one at its first update.
    """

    def optim_state_dict(self) -> dict:
        return full_optim_state_dict(self.model, self.optim_wrapper.optimizer, self.state_dict_type,
                                     self.state_dict_config, self.optim_state_dict_config)

    def load_optim_state_dict(self, state_dict: dict) -> None:
        from torch.distributed.fsdp import FullyShardedDataParallel
        optimizer = self.optim_wrapper.optimizer
        self.optim_wrapper.load_state_dict(FullyShardedDataParallel.optim_state_dict_to_load(
            model=self.model, optim=optimizer, optim_state_dict=state_dict))


# ---- FSDP: units, whole shapes, plain names ---------------------------------------------------------------------

def is_fsdp(model: nn.Module) -> bool:
    from torch.distributed.fsdp import FullyShardedDataParallel
    return isinstance(model, FullyShardedDataParallel)


def fsdp_units(model: nn.Module) -> List[Tuple[str, nn.Module]]:
    """``[(plain prefix, FSDP unit)]`` of every FSDP unit in ``model`` (the root's prefix is ``''``)."""
    from torch.distributed.fsdp import FullyShardedDataParallel
    return [(plain_key(name + '.').rstrip('.') if name else '', m) for name, m in model.named_modules()
            if isinstance(m, FullyShardedDataParallel)]


def named_pieces(model: nn.Module) -> Iterator[Tuple[str, torch.Tensor, bool]]:
    """``(plain name, this rank's flat piece, requires_grad)`` of every parameter of an FSDP model, read from the
    units' flat parameters (the wrapped modules' ``named_parameters`` leave out frozen ones between steps)."""
    for prefix, unit in fsdp_units(model):
        flat = getattr(unit, '_flat_param', None)
        if flat is None:
            continue
        params = getattr(flat, '_params', None) or [None] * len(flat._fqns)
        for fqn, info, param in zip(flat._fqns, flat._shard_param_infos, params):
            trains = param.requires_grad if param is not None else flat.requires_grad
            piece = (flat.detach()[info.offset_in_shard:info.offset_in_shard + info.numel_in_shard]
                     if info.in_shard else flat.detach()[:0])
            yield plain_key(f'{prefix}.{fqn}' if prefix else fqn), piece, trains


def dropped_state_keys(model: nn.Module) -> set:
    """State-dict keys of an FSDP model that a trainable-only checkpoint leaves out: the plain names of frozen
    parameters (as the ``'full'`` state dict names them) and every unit's ``<unit>._flat_param``."""
    keys = {name for name, _, trains in named_pieces(model) if not trains}
    keys |= {f'{prefix}.{FLAT_PARAM}' if prefix else FLAT_PARAM for prefix, unit in fsdp_units(model)
             if getattr(unit, '_flat_param', None) is not None}
    return keys


def sharded_fingerprints(model: nn.Module) -> dict:
    """``frozen_fingerprint`` / ``backbone_fingerprint`` (:mod:`visft_mm.checkpoint.meta`'s) of an FSDP model:
    each rank sums its pieces, the sums are added over the ranks (every rank must call it)."""
    from visft_mm.checkpoint import weights_fingerprint
    from visft_mm.models.backbones import find_backbone
    inner = model.module
    backbone = find_backbone(inner)
    prefix = next((plain_key(n) for n, m in inner.named_modules() if m is backbone), None)
    pieces = list(named_pieces(model))
    frozen = weights_fingerprint(t for _, t, trains in pieces if not trains)
    values = dict(frozen_fingerprint=frozen)
    if prefix is not None:
        start = f'{prefix}.' if prefix else ''
        values['backbone_fingerprint'] = weights_fingerprint(
            t for n, t, _ in pieces if n.startswith(start) and '.lora_' not in n)
    return dict(zip(values, sum_over_ranks(values.values())))


def sum_over_ranks(values: Iterable[float]) -> List[float]:
    """Each value summed over the ranks (float64): a sum over every rank's pieces is the sum over the whole
    parameters (weights fingerprints are sums)."""
    values = list(values)
    if get_world_size() == 1 or not values:
        return values
    total = torch.tensor(values, dtype=torch.float64)
    all_reduce(total)  # sum, in place
    return total.tolist()


def any_rank(flag: bool) -> bool:
    """Whether ``flag`` holds on any rank (every rank must call it)."""
    if get_world_size() == 1:
        return flag
    value = torch.tensor([int(flag)])
    all_reduce(value, op='max')
    return bool(value.item())


def check_frozen_sharded(meta: dict, model: nn.Module, where: str) -> None:
    """``checkpoint.meta.check_frozen`` for an FSDP model (every rank calls it)."""
    from visft_mm.checkpoint import fingerprints_match
    expected = meta['frozen_fingerprint']
    actual = sharded_fingerprints(model)['frozen_fingerprint']
    if not fingerprints_match(expected, actual):
        raise ValueError(f'{where} was trained on other frozen weights than this model holds (fingerprint '
                         f'{expected!r} vs {actual!r}, summed over {get_world_size()} FSDP ranks): check the '
                         'backbone arch and its init_cfg checkpoint')


# ---- FSDP: the wrap policy --------------------------------------------------------------------------------------

_CONTAINERS = (nn.ModuleDict, nn.ModuleList, nn.ParameterDict, nn.ParameterList)
_WRAP_PLANS: 'weakref.WeakKeyDictionary' = weakref.WeakKeyDictionary()


def _all_trainable(module: nn.Module) -> bool:
    params = list(module.parameters())
    return bool(params) and all(p.requires_grad for p in params)


def _plan(root: nn.Module, module_names: Tuple[str, ...]) -> None:
    """Mark, top-down from ``root``, the modules to wrap: every block, and every module whose parameters all
    train while its parent's do not (the largest such modules, containers excepted)."""
    stack = [(root, False)]
    while stack:
        module, parent_trainable = stack.pop()
        # a container has no forward of its own (peft calls lora_A['default'](x)): its children get the units
        trainable = _all_trainable(module) and not isinstance(module, _CONTAINERS)
        _WRAP_PLANS[module] = type(module).__name__ in module_names or (trainable and not parent_trainable)
        stack.extend((child, trainable) for child in module.children())


@FUNCTIONS.register_module()
def trainable_apart_wrap_policy(module: nn.Module, recurse: bool, nonwrapped_numel: int,
                                module_names: Tuple[str, ...] = ('EVABlock', )) -> bool:
    """FSDP auto-wrap policy: one unit per block (``module_names``, class names) and one per largest module whose
    parameters all train (a LoRA matrix, a stage-1 head part), so that no unit mixes frozen and trainable weights.

    With ``use_orig_params=True`` a unit's gradient covers its whole flat parameter, so a unit holding a frozen
    block and its LoRA pays the block's gradient memory as if nothing were frozen (pytorch #104690); frozen-only
    units get no gradient at all (``tools/analysis_tools/benchmark_fsdp_wrap.py`` measures it).  The plan is
    made once, on the first (root) call, because a module's decision depends on its parent.
    """
    if module not in _WRAP_PLANS:  # FSDP asks the root first, then walks down
        _plan(module, tuple(module_names))
    if recurse:
        return True
    return nonwrapped_numel > 0 and _WRAP_PLANS[module]
