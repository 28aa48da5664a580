"""The gradient diagnosis of visft_mm.testing.task_losses on gradients whose agreement is known."""
import pytest
import torch

from visft_mm.testing.task_losses import gradient_alignment


def test_gradient_alignment_of_known_gradients():
    torch.manual_seed(0)
    shared = torch.randn(1000)
    same = shared.repeat(6, 1) * torch.arange(1, 7).unsqueeze(1)  # one direction, different sizes
    f = gradient_alignment(same, shared.unsqueeze(0))
    assert f['train_vs_held_out'] == pytest.approx(1) and f['train_halves'] == pytest.approx(1)
    assert f['train_pairs'] == pytest.approx(1)
    assert f['train_batch_norm'] == pytest.approx(float(shared.norm()) * 3.5, rel=1e-5)
    f = gradient_alignment(same, -shared.unsqueeze(0))  # held-out images ask for the opposite change
    assert f['train_vs_held_out'] == pytest.approx(-1)
    noise = torch.randn(40, 1000)  # each image its own direction: pairs and the held-out mean about orthogonal
    f = gradient_alignment(noise, torch.randn(8, 1000))
    assert abs(f['train_pairs']) < 0.01 and abs(f['train_vs_held_out']) < 0.15
    mixed = noise + 0.5 * shared  # a shared part a quarter the size of each image's own (in squared norm)
    f = gradient_alignment(mixed, shared.unsqueeze(0))
    assert 0.15 < f['train_pairs'] < 0.35 and f['train_vs_held_out'] > 0.8


def test_gradient_alignment_needs_two_training_batches():
    with pytest.raises(ValueError, match='need >= 2 training and >= 1 held-out batches, got 1 and 1'):
        gradient_alignment(torch.ones(1, 3), torch.ones(1, 3))


def test_a_task_without_fixed_batches_is_an_error_not_a_zero_loss():
    from visft_mm.testing.task_losses import task_gradients, task_losses
    model = torch.nn.Linear(2, 2)  # never reached: the empty task is refused first
    for measure in (task_losses, task_gradients):
        with pytest.raises(ValueError, match=r"no fixed batches for task\(s\) \['detection'\]"):
            measure(model, {'caption': [{}], 'detection': []})
