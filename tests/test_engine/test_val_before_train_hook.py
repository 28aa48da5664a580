"""ValidateBeforeTrainHook: one validation before iteration 0 (the baseline), none when resuming."""
import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric, Evaluator
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch.utils.data import Dataset


class _Linear(BaseModel):

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, inputs, targets, mode='loss'):
        error = (self.fc(inputs) - targets).pow(2).mean()
        return dict(loss=error) if mode == 'loss' else [error]


class _Points(Dataset):

    def __len__(self):
        return 8

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(inputs=torch.randn(2, generator=g), targets=torch.randn(1, generator=g))


class _MeanError(BaseMetric):

    def process(self, data_batch, data_samples):
        self.results.extend(float(e) for e in data_samples)

    def compute_metrics(self, results):
        return dict(error=sum(results) / len(results))


class _ValidatedAt(Hook):
    def __init__(self):
        self.iters = []

    def before_val(self, runner):
        self.iters.append(runner.iter)


def test_validates_before_the_first_iteration_and_not_on_resume(make_runner, tmp_path):
    def run(max_iters, **kwargs):
        seen = _ValidatedAt()
        runner = make_runner(
            _Linear(), _Points(), tmp_path, max_iters, val_cfg=dict(), val_evaluator=Evaluator(_MeanError()),
            val_dataloader=dict(dataset=_Points(), sampler=dict(type='DefaultSampler', shuffle=False), batch_size=4,
                                collate_fn=dict(type='default_collate')),
            custom_hooks=[dict(type='visft_mm.ValidateBeforeTrainHook'), seen], **kwargs)
        runner.train()
        return seen.iters, runner.message_hub.get_scalar('val/error').data[0].tolist()

    validated, errors = run(2)
    assert validated == [0, 2] and errors[0] != errors[1]  # the first is the untrained model's
    validated, _ = run(4, resume=True, load_from=str(tmp_path / 'iter_2.pth'))
    assert validated == [4]
