"""The demo's mini CLIP: contrastive pretraining lowers the loss, writes an EVA-CLIP file that EVAViT and
ZeroShotCLIP load strictly and compute as the trained open_clip model does, is cached and deterministic."""
import json
import os

import pytest
import torch

from visft_mm.testing.mini_clip import build_mini_clip, normalize, pretrain_mini_clip

SHORT = dict(steps=50, batch_size=8, image_size=56, lr=2e-4, warmup=5, seed=0)  # learns: see the loss test
TINY = dict(steps=3, batch_size=8, image_size=56, lr=2e-4, warmup=1, seed=0)  # for cache / determinism checks


@pytest.fixture(scope='module')
def pretrained(synthetic_data, tmp_path_factory):
    root, _ = synthetic_data
    out = str(tmp_path_factory.mktemp('mini_clip') / 'mini_clip.pt')
    stats = pretrain_mini_clip(str(root), out, log=lambda _: None, **SHORT)
    return str(root), out, stats


def _open_clip_from_file(path):
    from visft_mm.models.zero_shot.clip_towers import to_open_clip_layout
    model = build_mini_clip(seed=123)  # other random weights: everything must come from the file
    model.load_state_dict(to_open_clip_layout(torch.load(path, weights_only=True)), strict=True)
    return model.eval()


def test_pretraining_lowers_the_contrastive_loss(pretrained):
    from open_clip.loss import ClipLoss

    from visft_mm.models.zero_shot.clip_towers import build_tokenizer
    from visft_mm.testing.mini_clip import load_images, read_caption_pairs
    from visft_mm.testing.synthetic_clip import tiny_clip_config
    root, out, stats = pretrained
    assert not stats['cached']
    assert stats['steps'] == 50 and stats['images'] == 24 and stats['captions'] == 120
    assert stats['last_loss'] < stats['first_loss'] - 0.5
    # all 24 training images against their first captions: the trained file is below chance (log 24), the model
    # it started from (same seed) is not (a collapsed model would sit at chance)
    paths, captions = read_caption_pairs(root)
    images = normalize(load_images(paths, 56))
    tokens = build_tokenizer(tiny_clip_config())([c[0] for c in captions])
    with torch.no_grad():
        trained = float(ClipLoss()(*_open_clip_from_file(out)(images, tokens)))
        untrained = float(ClipLoss()(*build_mini_clip(seed=0).eval()(images, tokens)))
    chance = float(torch.tensor(24.).log())
    assert trained < chance - 0.3 < untrained


def test_file_loads_strictly_in_evavit_and_zero_shot_clip(pretrained):
    from visft_mm.models import EVAViT
    from visft_mm.models.zero_shot import ZeroShotCLIP
    from visft_mm.testing.synthetic_clip import tiny_clip_config
    root, out, _ = pretrained
    reference = _open_clip_from_file(out)
    init_cfg = dict(type='visft_mm.EVAPretrained', checkpoint=out, lora=None)
    backbone = EVAViT('tiny', frozen=True, out_type='cls_token', init_cfg=init_cfg)
    backbone.init_weights()
    clip = ZeroShotCLIP(backbone=dict(type='EVAViT', arch='tiny', frozen=True, out_type='cls_token',
                                      init_cfg=init_cfg),
                        text_model=tiny_clip_config(), clip_checkpoint=out)
    clip.init_weights()
    clip.eval()
    torch.manual_seed(0)
    texts = ['a red circle on a gray background', 'two stars and a blue square']
    with torch.no_grad():
        # the training resolution (position embedding interpolated as in training) and the probes' 224 px
        for size in (56, 224):
            images = normalize(torch.randint(0, 256, (2, 3, size, size), dtype=torch.uint8))
            cls_token = reference.visual.trunk.forward_features(images)[:, 0]  # after the final norm
            torch.testing.assert_close(backbone(images)[-1], cls_token, rtol=1e-4, atol=1e-4)
            torch.testing.assert_close(clip.encode_image(images), reference.encode_image(images, normalize=True),
                                       rtol=1e-4, atol=1e-4)
        tokens = clip.tokenizer(texts)
        torch.testing.assert_close(clip.encode_text(texts), reference.encode_text(tokens, normalize=True),
                                   rtol=1e-5, atol=1e-5)
    assert clip.logit_scale.item() == reference.logit_scale.item()


def test_second_call_hits_the_cache_and_changes_retrain(pretrained, tmp_path):
    root, out, stats = pretrained
    before = (os.stat(out).st_mtime_ns, open(out, 'rb').read())
    messages = []
    again = pretrain_mini_clip(root, out, log=messages.append, **SHORT)
    assert again['cached'] and 'not retrained' in messages[0]
    assert {k: v for k, v in again.items() if k != 'cached'} == {k: v for k, v in stats.items() if k != 'cached'}
    assert (os.stat(out).st_mtime_ns, open(out, 'rb').read()) == before
    # a file that is not the recorded one, or a different setting, is not taken from the cache
    small = str(tmp_path / 'small.pt')
    assert not pretrain_mini_clip(root, small, log=lambda _: None, **TINY)['cached']
    assert pretrain_mini_clip(root, small, log=lambda _: None, **TINY)['cached']
    with open(small + '.json') as f:
        record = json.load(f)
    with open(small + '.json', 'w') as f:
        json.dump(dict(record, file_sha1='0' * 40), f)
    assert not pretrain_mini_clip(root, small, log=lambda _: None, **TINY)['cached']
    assert not pretrain_mini_clip(root, small, log=lambda _: None, **dict(TINY, steps=2))['cached']
    # nor one trained under other numerics (the demo pins them; here: the thread count)
    assert pretrain_mini_clip(root, small, log=lambda _: None, **dict(TINY, steps=2))['cached']
    threads = torch.get_num_threads()
    torch.set_num_threads(threads + 1)
    try:
        assert not pretrain_mini_clip(root, small, log=lambda _: None, **dict(TINY, steps=2))['cached']
    finally:
        torch.set_num_threads(threads)


def test_same_seed_gives_bit_identical_weights(pretrained, tmp_path):
    root, _, _ = pretrained
    files = [str(tmp_path / f'{name}.pt') for name in ('first', 'second', 'other_seed')]
    for path, seed in zip(files, (0, 0, 1)):
        pretrain_mini_clip(root, path, log=lambda _: None, **dict(TINY, seed=seed))
    first, second, other = (torch.load(path, weights_only=True) for path in files)
    assert not torch.equal(first['visual.blocks.0.attn.qkv.weight'], other['visual.blocks.0.attn.qkv.weight'])
    assert sorted(first) == sorted(second)
    for key in first:
        assert torch.equal(first[key], second[key]), key


def test_bad_inputs_are_named(pretrained, tmp_path):
    root, _, _ = pretrained
    with pytest.raises(ValueError, match='larger than the 24 images'):
        pretrain_mini_clip(root, str(tmp_path / 'x.pt'), batch_size=25, steps=1, log=lambda _: None)
    with pytest.raises(FileNotFoundError, match='captions_train2017.json'):
        pretrain_mini_clip(str(tmp_path), str(tmp_path / 'x.pt'), steps=1, log=lambda _: None)
    with pytest.raises(ValueError, match='multiple of the patch size'):
        pretrain_mini_clip(root, str(tmp_path / 'x.pt'), image_size=100, steps=1, log=lambda _: None)


def test_colour_folders_hold_one_shape_of_their_colour(tmp_path):
    import numpy as np
    from PIL import Image

    from visft_mm.testing.mini_clip import write_colour_folders
    from visft_mm.testing.synthetic import BACKGROUND, COLORS
    write_colour_folders(str(tmp_path), images_per_class=3, image_size=48)
    assert sorted(os.listdir(tmp_path)) == sorted(COLORS)
    for colour in COLORS:
        names = sorted(os.listdir(tmp_path / colour))
        assert names == ['0000.png', '0001.png', '0002.png']
        for name in names:
            pixels = {tuple(p) for p in np.asarray(Image.open(tmp_path / colour / name)).reshape(-1, 3)}
            assert pixels == {BACKGROUND, COLORS[colour]}
