"""BLIP-2 VQA / caption / retrieval from configs/blip2 with a tiny EVAViT and tiny random OPT / BERT folders."""
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner
from mmpretrain.structures import DataSample

from visft_mm.models import EVAViT
from visft_mm.models.lora import merged_plain_state_dict
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


def test_vqa_config_end_to_end(tiny_config, tiny_hf_dirs, tiny_blip2_data, tmp_path):
    cfg = tiny_config('vqav2_opt2.7b.py', tiny_hf_dirs, tiny_blip2_data['root'])
    cfg.work_dir = str(tmp_path)
    cfg.test_evaluator.outfile = str(tmp_path / 'answers.json')
    metrics = Runner.from_cfg(cfg).test()
    assert set(metrics) >= {'blip2-opt2.7b/VQAv2/acc', 'blip2-opt2.7b/VQAv2/other_acc'}
    assert osp.isfile(tmp_path / 'answers.json')


def test_nocaps_config_end_to_end(tiny_config, tiny_hf_dirs, tiny_blip2_data, tmp_path, monkeypatch):
    # the Python tokenizer instead of Java's PTB + METEOR (seconds of JVM start-up per call)
    monkeypatch.setattr('visft_mm.evaluation.caption_metric.java_available', lambda: False)
    monkeypatch.setattr('visft_mm.evaluation.nocaps_metric.java_available', lambda: False)
    cfg = tiny_config('nocaps_opt2.7b.py', tiny_hf_dirs, tiny_blip2_data['root'])
    cfg.work_dir = str(tmp_path)
    metrics = Runner.from_cfg(cfg).test()
    assert {'blip2-opt2.7b/nocaps/CIDEr', 'blip2-opt2.7b/nocaps/in-domain/CIDEr',
            'blip2-opt2.7b/nocaps/near-domain/CIDEr', 'blip2-opt2.7b/nocaps/out-domain/CIDEr'} <= set(metrics)


def test_vision_tower_is_the_merged_lora_backbone_at_the_selected_block(tiny_config, tiny_hf_dirs):
    model = _build(tiny_config, 'vqav2_opt2.7b.py', tiny_hf_dirs)
    torch.manual_seed(1)
    trained = EVAViT(arch='tiny', out_type='raw', out_indices=(0, 1, 2, 3), final_norm=False,
                     lora=dict(r=4, alpha=1))
    trained.init_weights()
    for name, param in trained.named_parameters():
        if '.lora_B.' in name:
            torch.nn.init.normal_(param, std=0.5)  # a LoRA that changes the features
    model.vision_backbone.load_state_dict(merged_plain_state_dict(trained))  # what a merged LoRA load gives
    images = torch.randn(2, 3, 56, 56)
    with torch.no_grad():
        blocks = trained(images)
        tower = model.vision_backbone(images)[0]
        prefix, _ = model.opt_prefix(images)
        expected_prefix = model.vision_neck([model.multimodal_backbone.bert(
            query_embeds=model.query_tokens.expand(2, -1, -1),
            encoder_hidden_states=model.ln_vision_backbone(blocks[2]),
            encoder_attention_mask=torch.ones(blocks[2].shape[:-1], dtype=torch.long),
            return_dict=True).last_hidden_state])
    torch.testing.assert_close(tower, blocks[2], rtol=1e-4, atol=1e-4)
    assert not torch.allclose(tower, blocks[3], atol=1e-2)  # not the last block
    torch.testing.assert_close(prefix, expected_prefix, rtol=1e-4, atol=1e-4)


def test_missing_local_folder_names_itself(tiny_config, tiny_hf_dirs):
    cfg = tiny_config('vqav2_opt2.7b.py', dict(tiny_hf_dirs, bert='/nonexistent/bert-base-uncased'))
    with pytest.raises(FileNotFoundError, match=r"multimodal_backbone.model_style='/nonexistent/bert-base-unc"):
        MODELS.build(cfg.model)
    cfg = tiny_config('retrieval_flickr30k.py', dict(tiny_hf_dirs, bert='checkpoints/no-bert'))
    with pytest.raises(FileNotFoundError, match=r"tokenizer.name_or_path='checkpoints/no-bert'"):
        MODELS.build(cfg.model)
