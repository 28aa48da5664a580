"""Distributed runs on machines without a GPU (CI, laptops: ``tools/dist_train.sh CONFIG 2`` on CPU)."""
import torch
import torch.distributed as dist


def setup_cpu_distributed(cfg) -> bool:
    """When torchrun launched us and no GPU is visible, start a gloo process group and a CPU DDP wrapper.

    mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device`` and its default DDP wrapper passes
    ``device_ids=[LOCAL_RANK]``; both fail without a GPU.  The runner keeps a process group that already exists.
    Returns whether the CPU set-up was applied.
    """
    if cfg.get('launcher') != 'pytorch' or torch.cuda.is_available():
        return False
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    strategy = cfg.get('strategy')
    if isinstance(strategy, dict) and 'FSDPStrategy' in str(strategy.get('type')):
        # FlexibleRunner: the FSDP strategy builds its wrapper with device_id=LOCAL_RANK (read as cuda:N)
        strategy.setdefault('model_wrapper', {}).setdefault('device_id', 'cpu')
    wrapper = cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel', broadcast_buffers=False,
                                                   find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper.setdefault('device_ids', None)
    cfg.model_wrapper_cfg = wrapper
    return True


def finish_distributed() -> None:
    """Leave the process group cleanly at the end of a run: a gloo group left to interpreter teardown can abort
    the process ('terminate called without an active exception') after the work is done."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
