"""A LoRA run's checkpoints hold only the LoRA weights and resume exactly."""
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from engine_test_models import Images, LoraProbe


def test_lora_only_checkpoint_and_exact_resume(make_runner, tmp_path):
    hooks = [dict(type='visft_mm.TrainableCheckpointHook')]

    def _runner(work_dir, max_iters, **kwargs):
        return make_runner(LoraProbe(), Images(), work_dir, max_iters, lr=0.05, custom_hooks=hooks, **kwargs)

    straight = _runner(tmp_path / 'straight', max_iters=4)
    straight.train()

    first_half = _runner(tmp_path / 'half', max_iters=2)
    first_half.train()
    ckpt = _load_checkpoint(str(tmp_path / 'half' / 'iter_2.pth'))
    keys = set(ckpt['state_dict'])
    assert keys and all('.lora_' in k for k in keys), sorted(keys)[:5]
    assert len(keys) == 2 * 2 * 2  # 2 blocks x (q, v) x (A, B)
    assert ckpt['meta']['frozen_keys_dropped'] > 0

    resumed = _runner(tmp_path / 'resumed', max_iters=4, resume=True,
                      load_from=str(tmp_path / 'half' / 'iter_2.pth'))
    resumed.train()
    final_straight = straight.model.state_dict()
    final_resumed = resumed.model.state_dict()
    assert final_straight.keys() == final_resumed.keys()
    for key in final_straight:
        torch.testing.assert_close(final_resumed[key], final_straight[key], atol=0, rtol=0, msg=key)
    lora_b = [v for k, v in final_resumed.items() if 'lora_B' in k]
    assert any(torch.count_nonzero(v) for v in lora_b), 'LoRA did not train'


def test_loading_onto_other_frozen_weights_is_refused(make_runner, tmp_path):
    hooks = [dict(type='visft_mm.TrainableCheckpointHook')]
    make_runner(LoraProbe(), Images(), tmp_path / 'a', 2, custom_hooks=hooks).train()
    other = LoraProbe()
    with torch.no_grad():
        other.backbone.blocks[0].mlp.fc1.weight.add_(1.0)  # as if another EVA-CLIP file had been loaded
    runner = make_runner(other, Images(), tmp_path / 'b', 2, custom_hooks=hooks,
                         load_from=str(tmp_path / 'a' / 'iter_2.pth'))
    import pytest
    with pytest.raises(ValueError, match='trained on other frozen weights'):
        runner.load_or_resume()
