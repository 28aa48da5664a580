"""Stage-2 training with the frozen weights stored in bf16 (``EVAViT(frozen_dtype='bfloat16')``): only the LoRA
trains, the frozen weights stay bit-identical, the LoRA-only checkpoints move between bf16 and fp32 storage, and a
resumed run repeats the uninterrupted one bit for bit."""
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner.checkpoint import _load_checkpoint

from visft_mm.models import EVAViT
from engine_test_models import Images, LoraProbe

HOOKS = [dict(type='visft_mm.TrainableCheckpointHook')]


@pytest.fixture
def run(make_runner, tmp_path):
    def _run(name, frozen_dtype, max_iters, extra_hooks=(), **kwargs):
        runner = make_runner(LoraProbe(frozen_dtype=frozen_dtype), Images(), tmp_path / name, max_iters, lr=0.05,
                             custom_hooks=HOOKS + list(extra_hooks), **kwargs)
        runner.train()
        return runner
    return _run


def _lora(model):
    return {k: v for k, v in model.state_dict().items() if '.lora_' in k}


class _Snapshot(Hook):
    """The model's state once initialised, before the first step."""

    def before_train(self, runner):
        self.state = {k: v.clone() for k, v in runner.model.state_dict().items()}


def test_only_the_lora_trains_and_frozen_weights_stay_bit_identical(run):
    snapshot = _Snapshot()
    runner = run('bf16', 'bfloat16', 4, extra_hooks=[snapshot])
    before = snapshot.state
    backbone = runner.model.backbone
    stored = {n: p.dtype for n, p in backbone.named_parameters()}
    assert stored['blocks.0.mlp.fc1.weight'] == stored['blocks.1.attn.q_proj.base_layer.weight'] == torch.bfloat16
    assert {dtype for n, dtype in stored.items() if '.lora_' in n} == {torch.float32}
    assert stored['blocks.0.norm1.weight'] == stored['pos_embed'] == torch.float32
    assert {n for n, p in runner.model.named_parameters() if p.requires_grad} == set(_lora(runner.model))
    after = runner.model.state_dict()
    for key, value in before.items():
        if '.lora_' not in key:
            assert after[key].dtype == value.dtype and torch.equal(after[key], value), key
    assert any(torch.count_nonzero(v) for k, v in _lora(runner.model).items() if 'lora_B' in k), 'LoRA did not train'


@pytest.mark.parametrize('trained, loaded', [('bfloat16', 'float32'), ('float32', 'bfloat16')])
def test_lora_checkpoint_loads_onto_the_other_storage(run, tmp_path, trained, loaded):
    source = run('source', trained, 2)
    ckpt = str(tmp_path / 'source' / 'iter_2.pth')
    saved = _load_checkpoint(ckpt)
    assert set(saved['state_dict']) == set(_lora(source.model))
    assert {v.dtype for v in saved['state_dict'].values()} == {torch.float32}
    # resumed at its last iteration: initialised as in training, loaded, the fingerprint checked, no step taken
    target = run('target', loaded, 2, resume=True, load_from=ckpt)
    assert target.iter == 2
    for key, value in _lora(source.model).items():
        assert torch.equal(target.model.state_dict()[key], value), key
    assert target.model.backbone.frozen_dtype == EVAViT.frozen_dtypes[loaded]


def test_resume_is_bit_exact(run, tmp_path):
    straight = run('straight', 'bfloat16', 4)
    run('half', 'bfloat16', 2)
    resumed = run('resumed', 'bfloat16', 4, resume=True, load_from=str(tmp_path / 'half' / 'iter_2.pth'))
    final = straight.model.state_dict()
    for key, value in resumed.model.state_dict().items():
        assert torch.equal(value, final[key]), key
