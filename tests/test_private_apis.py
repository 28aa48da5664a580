"""The behaviour of other libraries' private members that visft_mm relies on (visft_mm/private_apis.py): an upgrade
that changes one fails here, by name."""
import os

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from visft_mm import private_apis as P


class _Linear(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, targets, mode='loss'):
        return dict(loss=((self.linear(inputs) - targets) ** 2).mean())


class _Points(Dataset):

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return dict(inputs=torch.full((2,), float(i)), targets=torch.ones(1))


def _runner(work_dir, **kwargs):
    import uuid
    return Runner(model=_Linear(), work_dir=str(work_dir), experiment_name=uuid.uuid4().hex,
                  train_dataloader=dict(dataset=_Points(), sampler=dict(type='DefaultSampler', shuffle=False),
                                        batch_size=2, collate_fn=dict(type='default_collate')),
                  optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
                  train_cfg=dict(by_epoch=False, max_iters=2), **kwargs)


def test_pending_checkpoint_is_what_load_or_resume_acts_on(tmp_path):
    runner = _runner(tmp_path, load_from='a.pth', resume=True, randomness=dict(seed=1, diff_rank_seed=True))
    assert P.pending_checkpoint(runner) == ('a.pth', True)
    assert P.diff_rank_seed(runner) is True
    P.redirect_checkpoint(runner, 'b.pth')
    seen = []
    runner.resume = lambda path, **kwargs: seen.append(path)  # the public method load_or_resume calls
    runner.load_or_resume()
    assert seen == ['b.pth'] and P.pending_checkpoint(runner) == (None, False)


def test_checkpoint_hook_saves_every_checkpoint_through_save_step(tmp_path):
    steps = []

    class Counting(P.CheckpointHookSaveStep):

        def save_step(self, runner, step, meta):
            steps.append(step)
            return super().save_step(runner, step, meta)

    runner = _runner(tmp_path, default_hooks=dict(checkpoint=Counting(interval=1, by_epoch=False, max_keep_ckpts=1)))
    runner.train()
    assert steps == [1, 2]
    assert sorted(os.listdir(tmp_path)).count('iter_2.pth') == 1 and not (tmp_path / 'iter_1.pth').exists()
    assert (tmp_path / 'last_checkpoint').read_text().endswith('iter_2.pth')


def test_mmengine_home_follows_its_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv('MMENGINE_HOME', str(tmp_path / 'home'))
    assert P.mmengine_home() == str(tmp_path / 'home') and (tmp_path / 'home').is_dir()


def test_open_clip_text_tower_alone():
    from open_clip.transformer import TextTransformer
    tower = P.build_open_clip_text_tower(16, dict(context_length=8, vocab_size=50, width=32, heads=2, layers=1))
    assert isinstance(tower, TextTransformer)
    assert tower(torch.randint(0, 50, (3, 8))).shape == (3, 16)


def test_history_buffer_statistics_are_what_it_pickles_by_name():
    assert {'mean', 'min', 'max', 'current'} <= set(P.history_buffer_statistics())


def test_vqa_answer_normalizers():
    punctuation, digits_articles = P.vqa_answer_normalizers()
    assert punctuation('yes.') == 'yes'
    assert digits_articles('two dogs') == '2 dogs' and digits_articles('a dog') == 'dog'
