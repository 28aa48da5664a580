"""Tiny random BLIP-2 language parts written as local Hugging Face folders (tests and demos; nothing downloads).

* an OPT folder: ``config.json`` + random weights + a byte-level GPT-2 tokenizer (``vocab.json`` of the 256
  byte symbols and OPT's special tokens, a few merges) laid out as ``facebook/opt-*`` is;
* a BERT folder: the Q-Former's ``config.json`` and a WordPiece ``vocab.txt`` (what ``bert-base-uncased`` gives
  BLIP-2).
"""
import json
import os
import os.path as osp
from typing import Dict

# OPT's special tokens and ids: <s> 0, <pad> 1, </s> 2 (also bos), <unk> 3
_OPT_SPECIALS = ['<s>', '<pad>', '</s>', '<unk>']
_BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
_WORDS = ('a photo of the man woman dog cat on in with is what color red blue question short answer yes no '
          'two three sitting standing riding street table').split()


def _byte_symbols():
    from transformers.models.gpt2.tokenization_gpt2 import bytes_to_unicode
    return list(bytes_to_unicode().values())


def write_tiny_opt(folder: str, hidden_size: int = 32, num_layers: int = 2, num_heads: int = 2,
                   seed: int = 0) -> str:
    """A random OPT causal LM and its slow GPT-2 tokenizer in ``folder`` (loadable offline)."""
    import torch
    from transformers import GPT2Tokenizer, OPTConfig, OPTForCausalLM

    os.makedirs(folder, exist_ok=True)
    symbols = _OPT_SPECIALS + _byte_symbols()
    merges = [('Ġ', 'a'), ('Ġ', 'o'), ('o', 'f'), ('Ġ', 't'), ('h', 'e'), ('Ġt', 'he')]
    symbols += [a + b for a, b in merges]
    with open(osp.join(folder, 'vocab.json'), 'w') as f:
        json.dump({s: i for i, s in enumerate(symbols)}, f)
    with open(osp.join(folder, 'merges.txt'), 'w') as f:
        f.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
    tokenizer = GPT2Tokenizer(osp.join(folder, 'vocab.json'), osp.join(folder, 'merges.txt'), bos_token='</s>',
                              eos_token='</s>', unk_token='<unk>', pad_token='<pad>', add_bos_token=True)
    tokenizer.save_pretrained(folder)

    config = OPTConfig(vocab_size=len(symbols), hidden_size=hidden_size, num_hidden_layers=num_layers,
                       ffn_dim=hidden_size * 2, num_attention_heads=num_heads, max_position_embeddings=128,
                       word_embed_proj_dim=hidden_size, pad_token_id=1, bos_token_id=2, eos_token_id=2)
    torch.manual_seed(seed)
    OPTForCausalLM(config).save_pretrained(folder)
    return folder


def write_tiny_bert(folder: str, hidden_size: int = 48, num_layers: int = 2, num_heads: int = 2) -> str:
    """A Q-Former BERT config (and WordPiece vocabulary) in ``folder``."""
    from transformers import BertConfig

    os.makedirs(folder, exist_ok=True)
    letters = [chr(c) for c in range(ord('a'), ord('z') + 1)] + list('.,?!0123456789')
    vocab = _BERT_SPECIALS + _WORDS + letters + ['##' + c for c in letters]
    with open(osp.join(folder, 'vocab.txt'), 'w') as f:
        f.write('\n'.join(vocab) + '\n')
    BertConfig(vocab_size=len(vocab), hidden_size=hidden_size, num_hidden_layers=num_layers,
               num_attention_heads=num_heads, intermediate_size=hidden_size * 2, max_position_embeddings=64,
               pad_token_id=0).save_pretrained(folder)
    with open(osp.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump(dict(do_lower_case=True, model_max_length=64), f)
    return folder


def write_tiny_blip2_files(root: str) -> Dict[str, str]:
    """``{'opt': folder, 'bert': folder}`` under ``root``."""
    return dict(opt=write_tiny_opt(osp.join(root, 'tiny-opt')), bert=write_tiny_bert(osp.join(root, 'tiny-bert')))


def _write_images(folder: str, names, size: int = 64, seed: int = 0) -> None:
    import numpy as np
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    for name in names:
        Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)).save(osp.join(folder, name))


def write_tiny_vqa_data(root: str, num_questions: int = 4) -> Dict[str, str]:
    """COCO-named images and official-format VQAv2 question / annotation files (10 answers per question)."""
    names = [f'COCO_val2014_{i:012d}.jpg' for i in range(1, num_questions + 1)]
    _write_images(osp.join(root, 'coco', 'val2014'), names)
    questions, annotations = [], []
    human = [['yes'] * 10, ['2'] * 6 + ['two'] * 2 + ['3'] * 2, ['red'] * 3 + ['dark red'] * 7,
             ['a dog'] * 5 + ['dog'] * 5]
    for i in range(num_questions):
        qid, answers = 1000 + i, human[i % len(human)]
        questions.append(dict(image_id=i + 1, question=f'What is in picture {i}?', question_id=qid))
        annotations.append(dict(question_id=qid, image_id=i + 1, question_type='what', answer_type='other',
                                multiple_choice_answer=answers[0],
                                answers=[dict(answer=a, answer_confidence='yes', answer_id=j + 1)
                                         for j, a in enumerate(answers)]))
    files = dict(questions=osp.join(root, 'vqav2', 'v2_OpenEnded_mscoco_val2014_questions.json'),
                 annotations=osp.join(root, 'vqav2', 'v2_mscoco_val2014_annotations.json'))
    os.makedirs(osp.join(root, 'vqav2'), exist_ok=True)
    with open(files['questions'], 'w') as f:
        json.dump(dict(questions=questions), f)
    with open(files['annotations'], 'w') as f:
        json.dump(dict(annotations=annotations), f)
    return files


def write_tiny_nocaps_data(root: str, num_images: int = 3) -> str:
    """A NoCaps-layout caption file (images with ``domain``, 10 references each) and its images."""
    domains = ('in-domain', 'near-domain', 'out-domain')
    names = [f'{i:016x}.jpg' for i in range(num_images)]
    _write_images(osp.join(root, 'nocaps', 'images', 'val'), names, seed=1)
    images = [dict(id=i, file_name=name, domain=domains[i % 3], height=64, width=64)
              for i, name in enumerate(names)]
    words = ('a dog on the street', 'a cat sitting on a table', 'a man riding a red bike')
    annotations = [dict(id=10 * i + j, image_id=i, caption=f'{words[i % 3]} {j}') for i in range(num_images)
                   for j in range(10)]
    ann_file = osp.join(root, 'nocaps', 'nocaps_val_4500_captions.json')
    with open(ann_file, 'w') as f:
        json.dump(dict(images=images, annotations=annotations), f)
    return ann_file


def write_tiny_retrieval_data(root: str, num_images: int = 3) -> str:
    """A COCO-format Karpathy-test-like caption file (``coco_url`` names the image) for mmpretrain's
    ``COCORetrieval``, 2 captions per image."""
    names = [f'COCO_val2014_{i:012d}.jpg' for i in range(1, num_images + 1)]
    _write_images(osp.join(root, 'coco', 'val2014'), names, seed=2)
    images = [dict(id=i + 1, file_name=n, coco_url=f'http://images.cocodataset.org/val2014/{n}')
              for i, n in enumerate(names)]
    annotations = [dict(id=2 * i + j, image_id=i + 1, caption=f'{_WORDS[i + j]} and the {_WORDS[i + 5]}.')
                   for i in range(num_images) for j in range(2)]
    ann_file = osp.join(root, 'coco', 'annotations', 'caption_karpathy_test2014.json')
    os.makedirs(osp.dirname(ann_file), exist_ok=True)
    with open(ann_file, 'w') as f:
        json.dump(dict(images=images, annotations=annotations), f)
    return ann_file


def shrink_blip2_config(cfg, dirs: Dict[str, str], data_root: str = None, image_size: int = 56):
    """A configs/blip2 config made tiny in place: EVAViT ``tiny`` (width 192, 4 blocks; the same
    ``out_indices``), the tiny OPT / BERT folders, 4 query tokens, no pretrained weights; with ``data_root`` the
    dataset and metric paths point under it and images are resized to ``image_size``."""
    model = cfg.model
    model.init_cfg = None
    model.vision_backbone.update(arch='tiny', init_cfg=None)
    model.multimodal_backbone.update(model_style=dirs['bert'], vision_model_width=192, num_query_token=4)
    retrieval = 'text_neck' in model
    model.tokenizer.name_or_path = dirs['bert'] if retrieval else dirs['opt']
    if retrieval:
        model.vision_neck.update(in_channels=48, num_classes=16)
        model.text_neck.update(in_channels=48, num_classes=16)
        model.multimodal_head.hidden_size = 48
        model.topk = 2
    else:
        model.text_backbone.name_or_path = dirs['opt']
        model.vision_neck.update(in_channels=48, num_classes=32)
    if data_root is not None:
        loader = cfg.test_dataloader
        loader.update(batch_size=2, num_workers=0, persistent_workers=False)
        loader.dataset.data_root = osp.join(data_root, osp.relpath(loader.dataset.data_root, 'data'))
        for transform in loader.dataset.pipeline:
            if transform['type'] == 'Resize':
                transform['scale'] = (image_size, image_size)
        if 'ann_file' in cfg.test_evaluator:
            cfg.test_evaluator.ann_file = osp.join(data_root, osp.relpath(cfg.test_evaluator.ann_file, 'data'))
    return cfg
