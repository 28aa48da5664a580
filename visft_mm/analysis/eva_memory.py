"""Peak training memory of an EVA-ViT LoRA step, predicted from the arch, resolution, batch, precision and
checkpointing: what the CUDA allocator's ``max_memory_allocated`` (or a CPU process's RSS growth) will show.

The activation terms are the tensors autograd saves for backward, counted once per storage (checked with
``torch.autograd.graph.saved_tensors_hooks``; frozen linears save no input, only their weight):

* per block, whatever the precision: the two LayerNorm inputs (fp32 residual stream) and the fp32 softmax
  log-sum-exp;
* in the compute dtype (``a`` bytes: 2 under bf16 autocast, 4 in fp32): q, k, v and the attention output (SDPA's
  flash / memory-efficient kernels keep no N x N matrix), the fc1 output (GELU's input), the LoRA inputs (one
  shared fp32 tensor, or one bf16 cast per LoRA target under autocast) and the LoRA-A outputs;
* under autocast with fp32 storage, the bf16 copy of every frozen weight each op casts (saved for its input
  gradient); bf16 storage saves the parameters themselves, no copy;
* with per-block checkpointing only the blocks' inputs stay, plus one block's activations during its recompute.

The transient term is the largest set of gradient buffers alive at once inside one block's backward.  The heads'
activations are not modelled (pass them as ``head_activation_bytes`` if known): for the backbone-dominated tasks
they are small, for Mask2Former at 1024 px they are not.
"""
from dataclasses import dataclass
from typing import Sequence, Union

from .eva_flops import IN_CHANNELS, PATCH, token_grid

DTYPE_BYTES = {'float32': 4, 'bfloat16': 2, 'float16': 2}
ADAMW_STATES = 2


@dataclass(frozen=True)
class MemoryEstimate:
    frozen_weights: float
    trainable_state: float  # trainable weights + their grads + optimizer states (fp32)
    activations: float
    transient: float

    @property
    def total(self) -> float:
        return self.frozen_weights + self.trainable_state + self.activations + self.transient

    def __str__(self) -> str:
        parts = ', '.join(f'{name} {getattr(self, name) / 2**30:.2f}'
                          for name in ('frozen_weights', 'trainable_state', 'activations', 'transient'))
        return f'{self.total / 2**30:.2f} GiB ({parts})'


def eva_param_counts(arch: dict, img_size: int = 224, lora_rank: int = 0, lora_targets: int = 2) -> dict:
    """Parameters by storage group: the blocks' linear layers (what ``frozen_dtype`` casts), the rest of the
    backbone (embeddings, LayerNorms: always fp32) and the LoRA."""
    D, F, L = arch['embed_dims'], arch['feedforward_channels'], arch['num_layers']
    linear = 4 * D * D + 2 * D * F + 3 * D + F + D  # q, k, v, proj, fc1, fc2 (+ biases of q, v, proj, fc1, fc2)
    grid = img_size // PATCH
    other = L * 4 * D + IN_CHANNELS * PATCH * PATCH * D + D + D + (1 + grid * grid) * D + 2 * D
    return dict(block_linear=L * linear, other=other, lora=L * lora_targets * 2 * D * lora_rank)


def estimate_lora_step_memory(arch: dict, img_hw: Union[int, Sequence[int]], batch: int, lora_rank: int = 64,
                              lora_targets: int = 2, frozen_dtype: str = 'float32', compute_dtype: str = 'bfloat16',
                              with_cp: bool = False, frozen_head_params: int = 0, trainable_head_params: int = 0,
                              head_activation_bytes: float = 0.0) -> MemoryEstimate:
    """Predicted peak memory of one stage-2 step (frozen EVA-ViT + LoRA, AdamW), in bytes."""
    for name, value in (('frozen_dtype', frozen_dtype), ('compute_dtype', compute_dtype)):
        if value not in DTYPE_BYTES:
            raise ValueError(f'{name} must be one of {sorted(DTYPE_BYTES)}, got {value!r}')
    D, F, H, L = arch['embed_dims'], arch['feedforward_channels'], arch['num_heads'], arch['num_layers']
    gh, gw = token_grid(img_hw)
    T = batch * (1 + gh * gw)
    a = DTYPE_BYTES[compute_dtype]
    params = eva_param_counts(arch, lora_rank=lora_rank, lora_targets=lora_targets)
    frozen = params['block_linear'] * DTYPE_BYTES[frozen_dtype] + (params['other'] + frozen_head_params) * 4
    trainable = (params['lora'] + trainable_head_params) * 4 * (2 + ADAMW_STATES)  # weight, grad, AdamW states

    lora_inputs = 1 if compute_dtype == 'float32' else lora_targets
    per_block = (T * (2 * 4 * D + 4 * a * D + a * F + lora_inputs * a * D + lora_targets * a * lora_rank)
                 + batch * H * (1 + gh * gw) * 4)
    weight_copies = params['block_linear'] // L * a if DTYPE_BYTES[frozen_dtype] != a else 0
    if with_cp:
        activations = L * T * D * 4 + per_block + weight_copies
    else:
        activations = L * (per_block + weight_copies)
    activations += T * D * 4 + head_activation_bytes  # the final LayerNorm's input
    transient = T * (2 * F * a + 4 * D * 4)
    return MemoryEstimate(frozen, trainable, activations, transient)
