"""LSTM captioner: vocabulary, caption data, beam search, metric, checkpoints, and that it learns."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from visft_mm.datasets import CocoCaptionDataset, Vocabulary, read_caption_annotations
from visft_mm.datasets.captions import END, PAD, START
from visft_mm.evaluation import score_captions
from visft_mm.models import LSTMCaptioner

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'visft')
ARCH = dict(embed_dims=64, num_layers=2, num_heads=4, feedforward_channels=128)


@pytest.fixture(scope='module')
def vocab_file(synthetic_data, tmp_path_factory):
    _, files = synthetic_data
    path = str(tmp_path_factory.mktemp('vocab') / 'vocab.json')
    Vocabulary.from_annotations(files['karpathy']).save(path)
    return path


def _captioner(vocab_file, **kwargs):
    torch.manual_seed(0)
    return LSTMCaptioner(backbone=dict(type='EVAViT', arch=ARCH, frozen=True), vocab_file=vocab_file,
                         embed_dims=32, hidden_dims=32, attention_dims=32, pool_size=4, **kwargs).eval()


def test_vocabulary_round_trip(vocab_file, tmp_path):
    vocab = Vocabulary.load(vocab_file)
    assert vocab.words[:4] == [PAD, START, END, '<unk>']
    copy = tmp_path / 'copy.json'
    vocab.save(str(copy))
    assert Vocabulary.load(str(copy)) == vocab
    ids = vocab.encode('A red Circle, and a zebra!', max_length=20)
    assert ids[0] == vocab.index[START] and ids[-1] == vocab.index[END]
    assert vocab.decode(ids) == 'a red circle and a <unk>'
    with pytest.raises(FileNotFoundError, match='nothing.json'):
        Vocabulary.load(str(tmp_path / 'nothing.json'))


def test_caption_dataset_reads_both_formats(synthetic_data, vocab_file):
    root, _ = synthetic_data
    init_default_scope('visft_mm')
    coco = CocoCaptionDataset(ann_file='annotations/captions_train2017.json', vocab_file=vocab_file,
                              data_root=str(root / 'coco'), data_prefix=dict(img_path='train2017'), pipeline=[])
    assert len(coco) == 24 * 5
    karpathy = CocoCaptionDataset(ann_file='annotations/dataset_coco.json', vocab_file=vocab_file,
                                  data_root=str(root / 'coco'), splits=['test'], test_mode=True,
                                  image_dirs=['train2017', 'val2017'], pipeline=[])
    items = [karpathy.get_data_info(i) for i in range(len(karpathy))]
    assert items and all(len(i['gt_caption']) == 5 and osp.isfile(i['img_path']) for i in items)
    assert all('val2017' in i['img_path'] for i in items)


def test_caption_data_errors(synthetic_data, vocab_file, tmp_path):
    _, files = synthetic_data
    data = json.load(open(files['captions_val']))
    data['images'].append(dict(data['images'][0], id=123456789))  # an image nobody captioned: counted skip
    path = tmp_path / 'caps.json'
    path.write_text(json.dumps(data))
    entries = read_caption_annotations(str(path))
    assert 123456789 not in {e['image_id'] for e in entries} and len(entries) == len(data['images']) - 1
    data['annotations'][3]['caption'] = '  '
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=f'caps.json: caption annotation {data["annotations"][3]["id"]} .* empty'):
        read_caption_annotations(str(path))


def _greedy(model, features):
    decoder, vocab = model.decoder, model.vocab
    projected = decoder.attention.feature_proj(features)
    state = decoder.init_state(features)
    word = torch.tensor([vocab.index[START]])
    ids = []
    for _ in range(model.max_length + 1):
        logits, _, state = decoder.step(features, projected, word, state)
        logits[:, [vocab.index[PAD], vocab.index[START]]] = float('-inf')
        word = logits.argmax(-1)
        if word.item() == vocab.index[END]:
            break
        ids.append(word.item())
    return ids


def test_beam_of_one_is_greedy_and_beams_are_clean(vocab_file):
    model = _captioner(vocab_file, beam_size=1)
    with torch.no_grad():
        for name, p in model.decoder.named_parameters():
            p.normal_(0, 0.5)  # a decisive random decoder: varied captions of varied lengths
    vocab = model.vocab
    for seed in range(4):
        features = model._attention_features(
            model.extract_feat(torch.randn(1, 3, 56, 56, generator=torch.Generator().manual_seed(seed))))
        assert model.beam_search(features) == _greedy(model, features)
        model.beam_size = 3
        ids = model.beam_search(features)
        model.beam_size = 1
        assert len(ids) <= model.max_length + 1
        assert not {vocab.index[PAD], vocab.index[START], vocab.index[END]} & set(ids)


def test_metric_matches_pycocoevalcap():
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    refs = {1: ['a red circle on a gray background', 'one red circle'],
            2: ['two blue squares and a star', 'a star next to two squares'],
            3: ['an empty gray background', 'nothing but a gray background']}
    preds = {1: 'a red circle', 2: 'two squares and a star', 3: 'a gray background'}
    ours = score_captions(refs, preds, use_ptb=False, with_meteor=False)
    gts = {k: v for k, v in refs.items()}
    res = {k: [v] for k, v in preds.items()}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    cider, _ = Cider().compute_score(gts, res)
    assert [ours[f'BLEU-{i}'] for i in range(1, 5)] == pytest.approx(bleu)
    assert ours['CIDEr'] == pytest.approx(cider)


def test_checkpoint_carries_the_vocabulary(vocab_file, tmp_path):
    model = _captioner(vocab_file)
    state = model.state_dict()
    assert state['_extra_state'].dtype == torch.uint8  # tensor-only state dicts: mmengine broadcasts them
    assert json.loads(bytes(state['_extra_state'].tolist())) == Vocabulary.load(vocab_file).words
    other = Vocabulary(Vocabulary.load(vocab_file).words + ['zebra'])
    other_file = str(tmp_path / 'other.json')
    other.save(other_file)
    with pytest.raises(ValueError, match='another caption vocabulary'):
        LSTMCaptioner(backbone=dict(type='EVAViT', arch=ARCH, frozen=True), vocab_file=other_file,
                      embed_dims=32, hidden_dims=32, attention_dims=32, pool_size=4).load_state_dict(
                          {k: v for k, v in state.items() if not k.startswith('decoder.')}, strict=False)


def test_parameter_count_for_eva_e_with_coco_vocabulary(tmp_path):
    words = [PAD, START, END, '<unk>'] + [f'w{i}' for i in range(9490 - 4)]
    path = str(tmp_path / 'coco_vocab.json')
    Vocabulary(words).save(path)
    init_default_scope('visft_mm')
    with torch.device('meta'):
        model = LSTMCaptioner(backbone=dict(type='EVAViT', arch='eva-e', frozen=True), vocab_file=path)
    head = sum(p.numel() for n, p in model.named_parameters() if not n.startswith('backbone.'))
    print(f'LSTM captioner head on eva-e, 9490 words: {head:,} parameters')
    assert 13e6 < head < 16e6


def test_captioner_overfits(synthetic_data, vocab_file, tmp_path):
    """8 training images, their own captions as references; untrained BLEU-4 is the chance level."""
    root, files = synthetic_data
    data_root = str(root / 'coco') + '/'
    cfg = Config.fromfile(osp.join(CONFIGS, 'demo', 'stage1_caption_tiny_synthetic.py'))
    cfg.model.backbone.init_cfg.checkpoint = files['eva_checkpoint']
    cfg.work_dir = str(tmp_path)
    cfg.model.vocab_file = vocab_file
    cfg.train_dataloader.dataset.update(data_root=data_root, vocab_file=vocab_file, indices=40, splits=['train'])
    for loader in ('val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.update(data_root=data_root, vocab_file=vocab_file, indices=8, splits=['train'])
    cfg.val_evaluator.update(ann_file=data_root + 'annotations/dataset_coco.json', splits=['train'])
    cfg.test_evaluator = cfg.val_evaluator
    cfg.train_cfg.update(max_iters=150, val_interval=150)
    cfg.param_scheduler[1].end = 150
    runner = Runner.from_cfg(cfg)
    before = runner.test()['caption/BLEU-4']
    runner.train()
    after = runner.test()['caption/BLEU-4']
    print(f'BLEU-4 on the training images: untrained {before:.3f}, after 150 iterations {after:.3f}')
    losses = runner.message_hub.get_scalar('train/loss_word').data[0]
    assert losses[-10:].mean() < 0.5 * losses[:10].mean()
    # the captions are templates of what is drawn: a model that learnt them reproduces one reference per image
    assert after >= max(0.8, 3 * before), f'BLEU-4 {before:.3f} -> {after:.3f}'


@pytest.mark.skipif(not __import__('shutil').which('java'), reason='the PTB tokenizer needs Java')
def test_python_tokenizer_matches_ptb_tokenizer():
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    from visft_mm.datasets import tokenize
    captions = ["A man's dog, running on the beach.", 'Two red circles and a star!', 'a cat  sitting on a couch ',
                "The kid's toys are on the table-top.", "People don't like it - at all", 'A "quoted" word; and more']
    ptb = PTBTokenizer().tokenize({i: [dict(caption=c)] for i, c in enumerate(captions)})
    for i, caption in enumerate(captions):
        assert ' '.join(tokenize(caption)) == ptb[i][0]
