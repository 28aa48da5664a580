"""The OCR probe (mmocr EncoderDecoderRecognizer + TokenTransformerEncoder + ViTSTRDecoder on a frozen EVAViT)."""
import os.path as osp

import pytest
import torch

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'probes', 'ocr')
DICT_FILE = osp.join(CONFIGS, 'dicts', 'printable94.txt')


def tiny_probe_cfg(config='vitstr_eva_g.py', max_seq_len=26):
    """The probe config with the tiny arch (no weights file) and a small encoder."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    cfg.model.backbone.update(arch='tiny', init_cfg=None)
    cfg.model.encoder.update(in_channels=192, d_model=64, n_head=4, d_inner=128)
    cfg.model.decoder.update(in_channels=64, max_seq_len=max_seq_len)
    return cfg


def recog_samples(texts):
    from mmengine.structures import LabelData
    from mmocr.structures import TextRecogDataSample
    samples = []
    for text in texts:
        sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0))
        sample.gt_text = LabelData(item=text)
        samples.append(sample)
    return samples


def test_probe_is_mmocr_recognizer_with_vitstr_head():
    from mmocr.models.common import TFEncoderLayer
    from mmocr.models.textrecog import CEModuleLoss, EncoderDecoderRecognizer
    from mmocr.models.textrecog.postprocessors import AttentionPostprocessor

    from visft_mm.registry import MODELS
    cfg = tiny_probe_cfg()
    assert cfg.model.backbone.out_type == 'raw' and cfg.model.backbone.frozen
    # CLIP statistics (configs/_base_/constants.py)
    assert cfg.model.data_preprocessor.mean == cfg.clip_mean == pytest.approx([122.77, 116.75, 104.09], abs=0.01)
    model = MODELS.build(cfg.model)
    assert isinstance(model, EncoderDecoderRecognizer)
    assert isinstance(model.decoder.module_loss, CEModuleLoss)
    assert isinstance(model.decoder.postprocessor, AttentionPostprocessor)
    assert len(model.encoder.layers) == 4 and all(isinstance(layer, TFEncoderLayer) for layer in model.encoder.layers)
    # ViTSTR's 94 characters + end + padding; no start token (the CLS token stands at ViTSTR's [GO] position)
    assert model.decoder.dictionary.num_classes == 96 and model.decoder.dictionary.start_idx is None
    assert not any(p.requires_grad for p in model.backbone.parameters())
    model.eval()
    out = model.predict(torch.randn(2, 3, 224, 224), recog_samples(['ab', 'c']))
    assert all(isinstance(sample.pred_text.item, str) for sample in out)


def test_token_t_predicts_target_t_and_padding_is_ignored():
    from visft_mm.registry import MODELS
    cfg = tiny_probe_cfg(max_seq_len=6)
    decoder = MODELS.build(cfg.model.decoder)
    decoder.train()
    tokens = torch.randn(1, 8, 64)
    samples = recog_samples(['aB'])
    loss = decoder.loss(None, tokens, samples)['loss_ce']
    dictionary = decoder.dictionary
    logits = decoder.classifier(tokens[0, 1:7])  # tokens 1..max_seq_len; token 0 is the CLS / [GO] position
    targets = torch.tensor([dictionary.char2idx('a'), dictionary.char2idx('B'), dictionary.end_idx])
    assert samples[0].gt_text.padded_indexes.tolist()[:4] == targets.tolist() + [dictionary.padding_idx]
    assert torch.allclose(loss, torch.nn.functional.cross_entropy(logits[:3], targets))


def test_decoder_refuses_a_start_token_and_too_few_tokens():
    from visft_mm.registry import MODELS
    cfg = tiny_probe_cfg()
    with pytest.raises(ValueError, match='with_start=False'):
        MODELS.build(dict(cfg.model.decoder, dictionary=dict(cfg.model.decoder.dictionary, with_start=True)))
    decoder = MODELS.build(cfg.model.decoder)
    with pytest.raises(ValueError, match='max_seq_len \\+ 1 = 27'):
        decoder.forward_test(None, torch.randn(1, 17, 64))


def test_builds_from_an_mmocr_scoped_config_through_custom_imports(tmp_path):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope, init_default_scope
    from mmocr.registry import MODELS as MMOCR_MODELS
    config = tmp_path / 'mmocr_probe.py'
    config.write_text(f"""
default_scope = 'mmocr'
custom_imports = dict(imports=['visft_mm'], allow_failed_imports=False)
dictionary = dict(type='Dictionary', dict_file={DICT_FILE!r}, with_end=True, with_padding=True)
model = dict(
    type='EncoderDecoderRecognizer',
    data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[122.77, 116.75, 104.09], std=[68.5, 66.63, 70.32]),
    backbone=dict(type='visft_mm.EVAViT', arch='tiny', frozen=True, out_type='raw'),
    encoder=dict(type='visft_mm.TokenTransformerEncoder', in_channels=192, d_model=64, n_head=4, d_inner=128),
    decoder=dict(type='visft_mm.ViTSTRDecoder', in_channels=64, dictionary=dictionary, max_seq_len=10,
                 module_loss=dict(type='CEModuleLoss', reduction='mean'),
                 postprocessor=dict(type='AttentionPostprocessor')))
""")
    cfg = Config.fromfile(str(config))
    init_default_scope('mmocr')
    assert DefaultScope.get_current_instance().scope_name == 'mmocr'
    model = MMOCR_MODELS.build(cfg.model)
    assert type(model.backbone).__module__.startswith('visft_mm.')
    losses = model.loss(torch.randn(2, 3, 56, 56), recog_samples(['ok', 'Yes!']))
    assert torch.isfinite(losses['loss_ce'])


def overfit_cfg(text_root, work_dir, max_iters):
    """The demo config on a handful of words (train = val = the same 8 words), 56 px, max_seq_len 12."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(CONFIGS, 'vitstr_tiny_synthetic.py'))
    cfg.work_dir = str(work_dir)
    cfg.model.backbone.init_cfg = None  # a seeded random backbone: the overfit needs no weights file
    cfg.model.encoder.dropout = 0.0
    cfg.model.decoder.max_seq_len = 12
    pipeline = cfg.pipeline
    pipeline[2]['scale'] = (56, 56)
    words = dict(type='ClovaaiLMDBDataset', dict_file=DICT_FILE, max_label_length=11, pipeline=pipeline)
    cfg.train_dataloader.batch_size = cfg.val_dataloader.batch_size = 8
    cfg.train_dataloader.sampler = dict(type='InfiniteSampler', shuffle=True)
    cfg.train_dataloader.dataset = dict(words, ann_file=str(text_root / 'train'))
    cfg.val_dataloader.dataset = dict(words, ann_file=str(text_root / 'train'), test_mode=True)
    cfg.optim_wrapper.optimizer = dict(type='AdamW', lr=2e-3, weight_decay=0.0)  # faster than Adadelta on 8 words
    cfg.train_cfg.update(max_iters=max_iters, val_interval=max_iters)
    cfg.default_hooks.checkpoint.update(interval=max_iters, save_best=None)
    cfg.default_hooks.logger.interval = 20
    cfg.randomness = dict(seed=0)
    return cfg


@pytest.fixture(scope='module')
def handful_of_words(tmp_path_factory):
    from visft_mm.testing.synthetic_text import SyntheticTextConfig, SyntheticTextGenerator, write_clovaai_lmdb
    root = tmp_path_factory.mktemp('words')
    generator = SyntheticTextGenerator(SyntheticTextConfig(seed=5))
    samples = [s for s in generator.make_set(40) if len(s[1]) <= 11][:8]
    write_clovaai_lmdb(str(root / 'train'), samples)
    return root


def run_overfit(handful_of_words, tmp_path, max_iters):
    from mmengine.runner import Runner
    runner = Runner.from_cfg(overfit_cfg(handful_of_words, tmp_path / 'work', max_iters))
    runner.model.init_weights()
    before_weights = {k: v.clone() for k, v in runner.model.backbone.state_dict().items()}
    before = runner.val()['recog/word_acc']
    runner.train()
    after = runner.val()['recog/word_acc']
    for key, value in runner.model.backbone.state_dict().items():
        assert torch.equal(value, before_weights[key]), f'backbone weight {key} changed'
    checkpoint = torch.load(osp.join(runner.work_dir, f'iter_{max_iters}.pth'), map_location='cpu',
                            weights_only=False)
    assert not any(k.startswith('backbone.') for k in checkpoint['state_dict'])  # only what trains is saved
    return before, after


def test_probe_overfits_a_handful_of_words_with_the_backbone_bit_identical(handful_of_words, tmp_path):
    before, after = run_overfit(handful_of_words, tmp_path, max_iters=150)
    assert before <= 0.125
    assert after >= 0.9


@pytest.fixture(scope='module')
def ocr_demo_workspace(synthetic_data, tmp_path_factory):
    """``data/synthetic`` as the demo config reads it: synthetic text LMDBs and the synthetic EVA-CLIP file."""
    from visft_mm.testing.synthetic_text import generate_synthetic_text_data
    root, files = synthetic_data
    workspace = tmp_path_factory.mktemp('ocr_workspace')
    data = workspace / 'data' / 'synthetic'
    generate_synthetic_text_data(str(data), num_train=16, num_test=3, seed=2)
    (data / 'checkpoints').symlink_to(osp.dirname(files['eva_checkpoint']), target_is_directory=True)
    return workspace


SETS = ['IIIT5k_3000', 'SVT', 'IC03_860', 'IC03_867', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077', 'SVTP',
        'CUTE80']
KEY = 'recog/word_acc_ignore_case_symbol'


def demo_cfg(workspace):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(CONFIGS, 'vitstr_tiny_synthetic.py'))
    cfg.work_dir = str(workspace / 'work_dirs' / 'demo')
    return cfg


def test_demo_training_batches_are_half_mjsynth_half_synthtext(ocr_demo_workspace, monkeypatch):
    from mmengine.runner import Runner
    monkeypatch.chdir(ocr_demo_workspace)
    cfg = demo_cfg(ocr_demo_workspace)
    cfg.train_dataloader.update(batch_size=6)
    cfg.train_dataloader.sampler.batch_size = 6
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    assert loader.dataset.datasets[1].num_skipped == dict(unknown_char=1, too_long=0)  # the synthetic 'é' label
    batches = iter(loader)
    for _ in range(3):
        paths = [sample.img_path for sample in next(batches)['data_samples']]
        assert sum('/training/ST/' in p for p in paths) == 3 and sum('/training/MJ/' in p for p in paths) == 3
    for dataset in loader.dataset.datasets[0].datasets + [loader.dataset.datasets[1]]:
        dataset.close()


def check_metrics(metrics):
    assert {f'{name}/{KEY}' for name in SETS + ['total', 'paper6']} <= set(metrics)
    paper = ['IC03_860', 'IC13_857', 'IC15_1811', 'SVTP', 'SVT', 'IIIT5k_3000']
    assert metrics[f'paper6/{KEY}'] == pytest.approx(sum(metrics[f'{n}/{KEY}'] for n in paper) / 6)
    assert metrics[f'total/{KEY}'] == pytest.approx(sum(metrics[f'{n}/{KEY}'] for n in SETS) / 10)  # 3 words each


def test_tools_test_reports_every_set_and_both_averages(ocr_demo_workspace, monkeypatch):
    import json

    from visft_mm.engine.launch import test_main
    monkeypatch.chdir(ocr_demo_workspace)
    out = ocr_demo_workspace / 'untrained.json'
    config = osp.abspath(osp.join(CONFIGS, 'vitstr_tiny_synthetic.py'))
    metrics = test_main([config, '--work-dir', str(ocr_demo_workspace / 'work_dirs' / 'untrained'), '--out', str(out)])
    check_metrics(metrics)
    assert json.loads(out.read_text())['metrics'] == pytest.approx(metrics)


@pytest.mark.slow
def test_demo_config_trains_then_tests_its_checkpoint(ocr_demo_workspace, monkeypatch):
    from mmengine.runner import Runner

    from visft_mm.engine.launch import test_main
    monkeypatch.chdir(ocr_demo_workspace)
    cfg = demo_cfg(ocr_demo_workspace)
    cfg.train_cfg.update(max_iters=2, val_interval=2)
    cfg.train_dataloader.update(batch_size=4)
    cfg.train_dataloader.sampler.batch_size = 4
    cfg.default_hooks.checkpoint.update(interval=2, save_best=None)
    Runner.from_cfg(cfg).train()
    config = osp.abspath(osp.join(CONFIGS, 'vitstr_tiny_synthetic.py'))
    check_metrics(test_main([config, osp.join(cfg.work_dir, 'iter_2.pth'), '--work-dir', cfg.work_dir]))
