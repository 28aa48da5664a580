"""InitWeightsHook: the one place that initialises a model outside train()."""
import uuid

import torch
import torch.nn as nn
from engine_test_models import Points
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from mmengine.runner import Runner

from visft_mm.registry import METRICS


class ConstantInit(BaseModel):
    """A linear model whose init_cfg sets every weight to 3: random until ``init_weights`` runs."""

    def __init__(self):
        super().__init__(init_cfg=dict(type='Constant', layer='Linear', val=3.0, bias=3.0))
        self.backbone = nn.Linear(2, 1)
        self.head = nn.Linear(1, 1)

    def forward(self, inputs, targets, mode='loss'):
        out = self.head(self.backbone(inputs))
        return dict(loss=((out - targets) ** 2).mean()) if mode == 'loss' else [out]


@METRICS.register_module(force=True)
class _WeightsSeen(BaseMetric):
    """Reports the backbone weight the evaluated model had."""

    def process(self, data_batch, data_samples):
        self.results.append(float(data_samples[0].flatten()[0]))

    def compute_metrics(self, results):
        return dict(first_output=results[0])


def _runner(tmp_path, hooks, load_from=None):
    return Runner(model=ConstantInit(), work_dir=str(tmp_path / uuid.uuid4().hex),
                  test_dataloader=dict(dataset=Points(), sampler=dict(type='DefaultSampler', shuffle=False),
                                       batch_size=8, collate_fn=dict(type='default_collate')),
                  test_cfg=dict(), test_evaluator=dict(type='_WeightsSeen'), default_hooks=hooks,
                  load_from=load_from, default_scope='visft_mm', experiment_name=uuid.uuid4().hex)


def _expected(model_weights):
    model = ConstantInit()
    model.load_state_dict(model_weights)
    inputs = torch.utils.data.default_collate([Points()[i] for i in range(8)])['inputs']
    return float(model.head(model.backbone(inputs)).flatten()[0])


def test_test_without_a_checkpoint_evaluates_the_init_cfg_weights(tmp_path):
    plain = _runner(tmp_path, hooks={}).test()  # mmengine alone: the random weights of the build
    ours = _runner(tmp_path, hooks=dict(init_weights=dict(type='InitWeightsHook'))).test()
    initialised = ConstantInit()
    initialised.init_weights()
    assert ours['first_output'] == _expected(initialised.state_dict())
    assert plain['first_output'] != ours['first_output']


def test_a_partial_checkpoint_goes_over_the_init_cfg_weights(tmp_path):
    """The head from the checkpoint, the backbone (left out of it) from init_cfg, never random."""
    head = dict(weight=torch.full((1, 1), -1.0), bias=torch.full((1, ), 0.5))
    path = tmp_path / 'head_only.pth'
    torch.save(dict(state_dict={f'head.{k}': v for k, v in head.items()}, meta=dict()), path)
    metrics = _runner(tmp_path, hooks=dict(init_weights=dict(type='InitWeightsHook')), load_from=str(path)).test()
    expected = ConstantInit()
    expected.init_weights()
    expected.head.load_state_dict(head)
    assert metrics['first_output'] == _expected(expected.state_dict())


def test_an_initialised_model_is_left_as_it_is(tmp_path):
    runner = _runner(tmp_path, hooks=dict(init_weights=dict(type='InitWeightsHook')))
    runner.model.init_weights()
    with torch.no_grad():
        runner.model.backbone.weight.fill_(7.0)  # e.g. trained in this process
    state = {k: v.clone() for k, v in runner.model.state_dict().items()}
    assert runner.test()['first_output'] == _expected(state)
