import uuid

import pytest
from mmengine.runner import Runner


@pytest.fixture
def make_runner():
    """An iteration-based mmengine Runner over a small map-style dataset, checkpointing every 2 iterations."""

    def make(model, dataset, work_dir, max_iters, lr=0.01, **kwargs):
        return Runner(
            model=model, work_dir=str(work_dir),
            train_dataloader=dict(dataset=dataset, sampler=dict(type='DefaultSampler', shuffle=True),
                                  batch_size=2, collate_fn=dict(type='default_collate')),
            optim_wrapper=dict(optimizer=dict(type='AdamW', lr=lr)),
            train_cfg=dict(by_epoch=False, max_iters=max_iters),
            default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False)),
            # a unique name: runners made within one second would otherwise share a MessageHub
            experiment_name=uuid.uuid4().hex, randomness=dict(seed=1), **kwargs)

    return make
