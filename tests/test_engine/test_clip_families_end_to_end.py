"""A CLIP family through the whole method by config only, on synthetic data: the three stage-1 heads on its frozen
tower, stage-2 LoRA through them, then every out-of-domain benchmark (OCR and GOI probes, zero-shot classification,
retrieval) for the frozen tower and the stage-2 LoRA, through the benchmark runner.  SigLIP (no class token, map
pool) runs in the default suite without the OCR probe (its ten test sets take minutes on 2 cores); SigLIP with
every benchmark, EVA02 and OpenAI are slow."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from visft_mm.benchmarks import BenchmarkSuite
from visft_mm.engine.launch import train_main
from visft_mm.testing.clip_families import family_clip_config, write_family_files

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TASKS = dict(caption='caption', detection='detr', segmentation='mask2former')
SHORT = ['train_cfg.max_iters=2', 'train_cfg.val_interval=100', 'default_hooks.checkpoint.interval=2']


@pytest.fixture(scope='module')
def family_workspace(synthetic_data, tmp_path_factory):
    """data/synthetic with the session's COCO tree, the caption vocabulary, the benchmarks' data and the tiny
    family twins (as `make_synthetic_data.py --benchmarks` + `python -m visft_mm.testing.clip_families` write)."""
    from visft_mm.datasets.captions import Vocabulary
    from visft_mm.testing.synthetic_clip import write_shape_folders, write_shape_retrieval
    from visft_mm.testing.synthetic_goi import generate_goi_data
    root, files = synthetic_data
    workspace = tmp_path_factory.mktemp('families')
    data = workspace / 'data' / 'synthetic'
    data.mkdir(parents=True)
    (data / 'coco').symlink_to(root / 'coco', target_is_directory=True)
    vocab = root / 'coco' / 'annotations' / 'caption_vocab.json'
    if not vocab.is_file():
        Vocabulary.from_annotations(files['karpathy']).save(str(vocab))
    # the benchmarks' data as generate_benchmark_data writes it; the OCR LMDBs only when a test asks for them
    generate_goi_data(str(data))
    write_shape_folders(str(data / 'shapes_cls'))
    write_shape_retrieval(str(data / 'shapes_retrieval'), num_images=16)
    for index, family in enumerate(('eva02', 'openai', 'siglip')):
        write_family_files(family, str(data / 'checkpoints'), seed=index)
    return workspace


def _config(*parts):
    return osp.join(ROOT, 'configs', *parts)


WITHOUT_OCR = ['goi', 'retrieval', 'zero_shot_shapes']


@pytest.mark.parametrize('family, benchmarks', [
    ('siglip', WITHOUT_OCR),
    pytest.param('siglip', None, marks=pytest.mark.slow, id='siglip-every-benchmark'),
    pytest.param('eva02', None, marks=pytest.mark.slow),
    pytest.param('openai', None, marks=pytest.mark.slow)])
def test_stage1_stage2_and_every_benchmark(family_workspace, family, benchmarks, monkeypatch):
    monkeypatch.chdir(family_workspace)
    if benchmarks is None and not (family_workspace / 'data' / 'synthetic' / 'textrecog_lmdb').is_dir():
        from visft_mm.testing.synthetic_text import generate_synthetic_text_data
        generate_synthetic_text_data(str(family_workspace / 'data' / 'synthetic'))
    work = family_workspace / 'work_dirs' / f'{family}_{"all" if benchmarks is None else "some"}'
    heads = {}
    for task, head in TASKS.items():
        name = f'stage1_{head}_{family}_tiny_synthetic'
        train_main([_config('visft', 'demo', f'{name}.py'), '--work-dir', str(work / name),
                    '--cfg-options', *SHORT])
        heads[task] = str(work / name / 'iter_2.pth')

    stage2 = work / 'stage2'
    runner = train_main([_config('visft', 'demo', f'stage2_joint_{family}_tiny_synthetic.py'), '--work-dir',
                         str(stage2), '--cfg-options', *SHORT, 'train_cfg.val_before_train=False',
                         'train_dataloader.caption.batch_size=2',
                         *(f'model.heads.{task}.checkpoint={path}' for task, path in heads.items())])
    assert type(runner.model.backbone).__name__ == 'CLIPViT'
    lora = torch.load(stage2 / 'iter_2.pth', map_location='cpu', weights_only=False)['state_dict']
    lora_b = [v for k, v in lora.items() if 'lora_B' in k]
    assert lora_b and all('q_proj' in k or 'v_proj' in k for k in lora if '.lora_' in k)
    assert any(v.abs().sum() > 0 for v in lora_b)  # the LoRA trained (B starts at zero)

    cfg = Config.fromfile(_config('benchmarks', f'demo_tiny_synthetic_{family}.py'))
    cfg.loras['0.002k'] = str(stage2 / 'iter_2.pth')
    cfg.benchmarks.ocr.cfg_options.update({'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
                                           'default_hooks.checkpoint.interval': 4})
    cfg.benchmarks.goi.cfg_options.update({'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 1,
                                           'default_hooks.checkpoint.interval': 1})
    for bench in cfg.benchmarks.values():
        bench['config'] = osp.join(ROOT, bench['config'])
    cfg.work_dir = str(work / 'benchmarks')
    results = BenchmarkSuite(cfg, log=lambda *a: None, only_benchmarks=benchmarks).run()
    assert sorted(results) == (benchmarks or ['goi', 'ocr', 'retrieval', 'zero_shot_shapes'])
    for name, by_lora in results.items():
        assert sorted(by_lora) == ['0.002k', '0k'] and all(by_lora.values()), name
    assert 'accuracy/top1' in results['zero_shot_shapes']['0k']
    assert any(k.startswith('i2t/') for k in results['retrieval']['0k'])
    with open(osp.join(cfg.work_dir, 'results', 'goi', f'{cfg.arch}_0.002k.json')) as f:
        assert json.load(f)['lora'].endswith('iter_2.pth')
    # the zero-shot configs' text towers are the twins' (what the equality tests check against open_clip)
    text_model = Config.fromfile(cfg.benchmarks.zero_shot_shapes.config).model.text_model
    expected = family_clip_config(family)
    assert text_model['text_cfg'] == expected['text_cfg'] and text_model['embed_dim'] == expected['embed_dim']
    assert text_model.get('quick_gelu', False) == expected.get('quick_gelu', False)
