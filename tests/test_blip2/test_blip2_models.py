"""BLIP-2 VQA / caption / retrieval from configs/blip2 with a tiny EVAViT and tiny random OPT / BERT folders."""
import json

import pytest
import torch
from mmengine.runner import Runner
from mmpretrain.structures import DataSample

from visft_mm.engine import launch
from visft_mm.models import EVAViT
from visft_mm.models.weights.lora import plain_state
from visft_mm.models.weights.lora_files import export_lora
from visft_mm.registry import MODELS


def _build(tiny_config, name, dirs):
    torch.manual_seed(0)
    model = MODELS.build(tiny_config(name, dirs).model)
    model.init_weights()
    return model.eval()


def test_vqa_predicts_with_the_lavis_protocol(tiny_config, tiny_hf_dirs):
    model = _build(tiny_config, 'vqav2_opt2.7b.py', tiny_hf_dirs)
    assert isinstance(model.vision_backbone, EVAViT)
    assert model.vision_backbone.out_indices == (2,)  # out_indices=-2 of 4 tiny blocks (38 of eva-g's 40)
    samples = [DataSample(question='what is on the table?'), DataSample(question='is it red?')]
    calls = []
    generate = model.text_backbone.generate
    model.text_backbone.generate = lambda **kw: calls.append(kw) or generate(**kw)
    with torch.no_grad():
        out = model.predict(torch.randn(2, 3, 56, 56), samples)
    assert [isinstance(s.pred_answer, str) for s in out] == [True, True]
    kwargs = calls[0]
    assert (kwargs['num_beams'], kwargs['max_new_tokens'], kwargs['min_new_tokens'],
            kwargs['length_penalty']) == (5, 10, 1, 0.0)
    prompts = model.tokenizer(['Question: what is on the table? Short answer:', 'Question: is it red? Short answer:'])
    lengths = [min(len(ids), 32) for ids in prompts.input_ids]  # prompts truncated at max_prompt_len (LAVIS)
    assert kwargs['inputs_embeds'].shape[1] == kwargs['attention_mask'].shape[1] == 4 + max(lengths)
    mask = kwargs['attention_mask']
    assert mask[:, :4].all() and mask[:, -1].all()  # query tokens first; prompts left-padded to end together
    assert mask.sum(1).tolist() == [4 + n for n in lengths]


def test_caption_config_generates_at_least_min_new_tokens(tiny_config, tiny_hf_dirs):
    model = _build(tiny_config, 'nocaps_opt2.7b.py', tiny_hf_dirs)
    eos = model.eos_token_id
    # make the end token by far the most likely one everywhere (every hidden state = ones, the end token's output
    # row = 100): only min_new_tokens keeps captions going
    with torch.no_grad():
        norm = model.text_backbone.model.decoder.final_layer_norm
        norm.weight.zero_()
        norm.bias.fill_(1.0)
        model.text_backbone.lm_head.weight[eos] = 100.0
        out = model.predict(torch.randn(2, 3, 56, 56))
    tokens = [model.tokenizer(s.pred_caption, add_special_tokens=False).input_ids for s in out]
    assert all(len(t) >= 8 for t in tokens), [s.pred_caption for s in out]


def test_retrieval_config_builds_and_scores(tiny_config, tiny_hf_dirs, tiny_blip2_data, tmp_path):
    cfg = tiny_config('retrieval_coco.py', tiny_hf_dirs, tiny_blip2_data['root'])
    cfg.work_dir = str(tmp_path)
    cfg.test_evaluator.topk = (1, 3)  # 3 images, 6 captions
    metrics = Runner.from_cfg(cfg).test()
    for key in ('i2t/coco/Recall@1', 'i2t/coco/Recall@3', 't2i/coco/Recall@1'):
        assert 0.0 <= metrics[key] <= 100.0
    assert metrics['t2i/coco/Recall@3'] == 100.0  # every caption's image is among all 3


def test_nocaps_config_end_to_end(tiny_config, tiny_hf_dirs, tiny_blip2_data, tmp_path, monkeypatch):
    # the Python tokenizer instead of Java's PTB + METEOR (seconds of JVM start-up per call)
    monkeypatch.setattr('visft_mm.evaluation.caption_metric.java_available', lambda: False)
    monkeypatch.setattr('visft_mm.evaluation.nocaps_metric.java_available', lambda: False)
    cfg = tiny_config('nocaps_opt2.7b.py', tiny_hf_dirs, tiny_blip2_data['root'])
    cfg.work_dir = str(tmp_path)
    metrics = Runner.from_cfg(cfg).test()
    assert {'blip2-opt2.7b/nocaps/CIDEr', 'blip2-opt2.7b/nocaps/in-domain/CIDEr',
            'blip2-opt2.7b/nocaps/near-domain/CIDEr', 'blip2-opt2.7b/nocaps/out-domain/CIDEr'} <= set(metrics)


def test_tools_test_merges_the_lora_into_the_vision_tower(tiny_config, tiny_hf_dirs, tiny_blip2_data, tmp_path):
    """As tools/test.py CONFIG --lora L runs it: EVAPretrained loads EVA-CLIP and merges the LoRA into the vision
    tower, the model-level Pretrained loads the converted BLIP-2 file; the Q-Former reads the merged backbone's
    output at the block the config selects (block 39 of 40 for eva-g; here 3 of 4)."""
    torch.manual_seed(1)
    trained = EVAViT(arch='tiny', out_type='raw', out_indices=(0, 1, 2, 3), final_norm=False, lora=dict(r=4))
    trained.init_weights()
    for name, param in trained.named_parameters():
        if '.lora_B.' in name:
            torch.nn.init.normal_(param, std=0.5)  # a LoRA that changes the features
    eva_file, adapter = str(tmp_path / 'eva_tiny.pth'), str(tmp_path / 'adapter')
    torch.save(plain_state(trained.state_dict()), eva_file)  # the frozen "EVA-CLIP" weights
    export_lora(trained, adapter_dir=adapter)

    cfg = tiny_config('vqav2_opt2.7b.py', tiny_hf_dirs, tiny_blip2_data['root'])
    torch.manual_seed(2)
    blip2 = {k: v for k, v in MODELS.build(cfg.model).state_dict().items()
             if not k.startswith(('vision_backbone.', 'text_backbone.'))}  # what the converter writes
    torch.save(dict(state_dict=blip2), tmp_path / 'blip2.pth')
    cfg.model.init_cfg = dict(type='Pretrained', checkpoint=str(tmp_path / 'blip2.pth'))
    cfg.model.vision_backbone.init_cfg = dict(type='visft_mm.EVAPretrained', checkpoint=eva_file, lora=None)
    cfg.work_dir = str(tmp_path / 'work')
    config = str(tmp_path / 'tiny_vqav2.py')
    cfg.dump(config)

    out = tmp_path / 'metrics.json'
    metrics = launch.test_main([config, '--lora', adapter, '--out', str(out)])
    assert {'blip2-opt2.7b/VQAv2/acc', 'blip2-opt2.7b/VQAv2/other_acc'} <= set(metrics)
    assert json.loads(out.read_text())['lora'] == adapter

    launch.set_backbone_lora(cfg, adapter)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.eval()
    images = torch.randn(2, 3, 56, 56)
    with torch.no_grad():
        blocks = trained.eval()(images)
        tower = model.vision_backbone(images)[0]
    torch.testing.assert_close(tower, blocks[2], rtol=1e-4, atol=1e-4)
    assert not torch.allclose(tower, blocks[3], atol=1e-2)  # not the last block
    state = model.state_dict()
    for key, value in blip2.items():  # the BLIP-2 file, loaded after the vision tower, left it alone
        torch.testing.assert_close(state[key], value, rtol=0, atol=0, msg=key)


def test_missing_local_folder_names_itself(tiny_config, tiny_hf_dirs):
    cfg = tiny_config('vqav2_opt2.7b.py', dict(tiny_hf_dirs, bert='/nonexistent/bert-base-uncased'))
    with pytest.raises(FileNotFoundError, match=r"multimodal_backbone.model_style='/nonexistent/bert-base-unc"):
        MODELS.build(cfg.model)
    cfg = tiny_config('retrieval_flickr30k.py', dict(tiny_hf_dirs, bert='checkpoints/no-bert'))
    with pytest.raises(FileNotFoundError, match=r"tokenizer.name_or_path='checkpoints/no-bert'"):
        MODELS.build(cfg.model)
