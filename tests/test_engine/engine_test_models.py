"""Small models and payloads shared by the engine tests (imported by conftest.py and the tests)."""
import os.path as osp
import uuid

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

RUNTIME = osp.join(osp.dirname(__file__), '..', '..', 'configs', '_base_', 'default_runtime.py')


class Regression(BaseModel):
    """A linear regression: the smallest mmengine model with a ``backbone`` (its features are the prediction)."""

    def __init__(self, width: int = 2):
        super().__init__()
        with torch.random.fork_rng():  # the same start in every run, whatever ran before
            torch.manual_seed(0)
            self.backbone = nn.Linear(width, 1)

    def forward(self, inputs, targets, mode='loss'):
        loss = ((self.backbone(inputs) - targets) ** 2).mean()
        return dict(loss=loss) if mode == 'loss' else [loss]


class Points(Dataset):
    metainfo = dict(classes=('a', 'b'), palette=[(1, 2, 3)])

    def __init__(self, width: int = 2):
        self.width = width

    def __len__(self):
        return 8

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(inputs=torch.randn(self.width, generator=g), targets=torch.randn(1, generator=g))


TINY_ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


class LoraProbe(BaseModel):
    """A frozen 2-block EVAViT with LoRA (r=4) under a frozen linear read-out: only the LoRA trains."""

    def __init__(self, **backbone_options):
        from visft_mm.models import EVAViT
        super().__init__()
        torch.manual_seed(0)
        self.backbone = EVAViT(arch=TINY_ARCH, frozen=True, out_type='cls_token', lora=dict(r=4, alpha=1),
                               **backbone_options)
        self.head = nn.Linear(TINY_ARCH['embed_dims'], 1).requires_grad_(False)

    def forward(self, inputs, targets, mode='loss'):
        loss = (self.head(self.backbone(inputs)[0]) - targets).pow(2).mean()
        return dict(loss=loss) if mode == 'loss' else [loss]


class Images(Dataset):
    """16 seeded 56 x 56 images with a regression target."""

    def __len__(self):
        return 16

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(inputs=torch.randn(3, 56, 56, generator=g), targets=torch.randn(1, generator=g))


class WritesFile:
    """A pickle payload that writes ``marker`` when unpickled with ``weights_only=False``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f'open({self.marker!r}, "w").write("code ran")', ))


def make_visft_runner(work_dir, max_iters, model=None, dataset=None, lr=0.01, interval=2, max_keep_ckpts=-1,
                      hooks=None, custom_hooks=(), checkpoint_options=None, **kwargs):
    """A Runner with visft_mm's default runtime hooks (configs/_base_/default_runtime.py) on :class:`Regression`
    over :class:`Points`, checkpointing every ``interval`` iterations; ``hooks`` update ``default_hooks``,
    ``checkpoint_options`` the checkpoint hook's arguments."""
    runtime = Config.fromfile(RUNTIME)
    default_hooks = runtime.default_hooks.copy()
    default_hooks.update(checkpoint=dict(runtime.default_hooks.checkpoint, interval=interval,
                                         max_keep_ckpts=max_keep_ckpts, **(checkpoint_options or {})),
                         logger=dict(type='LoggerHook', interval=1), **(hooks or {}))
    return Runner(
        model=model if model is not None else Regression(), work_dir=str(work_dir),
        train_dataloader=dict(dataset=dataset if dataset is not None else Points(),
                              sampler=dict(type='InfiniteSampler', shuffle=True), batch_size=2,
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='AdamW', lr=lr)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters), default_hooks=default_hooks,
        custom_hooks=runtime.custom_hooks + list(custom_hooks), default_scope='visft_mm',
        experiment_name=uuid.uuid4().hex, randomness=dict(seed=1), **kwargs)
