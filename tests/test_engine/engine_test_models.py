"""Small models and payloads shared by the engine tests (imported by conftest.py and the tests)."""
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from torch.utils.data import Dataset


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


class WritesFile:
    """A pickle payload that writes ``marker`` when unpickled with ``weights_only=False``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f'open({self.marker!r}, "w").write("code ran")', ))
