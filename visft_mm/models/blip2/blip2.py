"""mmpretrain's BLIP-2 (OPT VQA, OPT captioning, Q-Former retrieval) evaluated as LAVIS evaluates it, offline.

The vision backbone is any registered backbone whose first output is (B, tokens, C) with an ``embed_dims``
attribute (``visft_mm.EVAViT`` with ``out_type='raw'``): mmpretrain builds it from the config as it is.
What these subclasses add:

* **Generation as LAVIS's zero-shot evaluation** (``generation_cfg``, passed to ``generate``): mmpretrain hard-codes
  ``length_penalty=-1`` for VQA (LAVIS's OPT ``predict_answers`` uses 0) and ``min_length=1`` for captions (LAVIS:
  8).  With transformers >= 4.38 a ``min_length`` given with ``inputs_embeds`` is reduced by the number of input
  embeddings (query tokens + prompt), which turns any small minimum into none; LAVIS meant new tokens, so the
  configs give ``min_new_tokens``.
* **Local files only**: the OPT folder, its tokenizer and the Q-Former's BERT config are read with
  ``local_files_only``; a folder that does not exist is an error naming it and the config key (transformers' own
  message names neither).
"""
import os.path as osp
from typing import List, Optional

import torch
from mmpretrain.models.multimodal.blip2 import Blip2Caption, Blip2Retrieval, Blip2VQA
from mmpretrain.structures import DataSample

from visft_mm.registry import MODELS


def require_local_dirs(model_cls: str, **folders: Optional[str]) -> None:
    """Raise ``FileNotFoundError`` naming every ``key=folder`` that is not an existing directory."""
    missing = [f'{key}={path!r}' for key, path in folders.items() if path is not None and not osp.isdir(path)]
    if missing:
        raise FileNotFoundError(
            f'{model_cls}: local Hugging Face folder(s) not found: {", ".join(missing)}. BLIP-2 evaluation reads '
            'the OPT model / tokenizer and the Q-Former BERT config from local folders only (e.g. '
            '`huggingface-cli download facebook/opt-2.7b --local-dir checkpoints/opt-2.7b`, '
            '`... bert-base-uncased --local-dir checkpoints/bert-base-uncased`) and never downloads.')


def _local(cfg: Optional[dict]) -> Optional[dict]:
    """``cfg`` with ``local_files_only=True`` (tokenizer / Hugging Face model builders accept it)."""
    return None if cfg is None else dict(cfg, local_files_only=True)


def _hf_folder(cfg: Optional[dict]) -> Optional[str]:
    return None if cfg is None else cfg.get('name_or_path', cfg.get('pretrained_model_name_or_path'))


class _LocalOPTMixin:
    """Shared by VQA and captioning: local-folder checks and the query-token prefix for OPT."""

    def _init_local(self, kwargs: dict, generation_cfg: dict) -> dict:
        require_local_dirs(type(self).__name__, **{
            'tokenizer.name_or_path': _hf_folder(kwargs.get('tokenizer')),
            'text_backbone.name_or_path': _hf_folder(kwargs.get('text_backbone')),
            'multimodal_backbone.model_style': kwargs['multimodal_backbone'].get('model_style'),
        })
        kwargs['tokenizer'] = _local(kwargs.get('tokenizer'))
        kwargs['text_backbone'] = _local(kwargs.get('text_backbone'))
        self._generation_cfg = dict(generation_cfg)
        return kwargs

    def opt_prefix(self, images: torch.Tensor):
        """Image -> frozen ViT -> ln_vision -> Q-Former -> projection: the (B, queries, D_opt) OPT input prefix."""
        image_embeds = self.ln_vision_backbone(self.vision_backbone(images)[0])
        image_atts = torch.ones(image_embeds.shape[:-1], dtype=torch.long, device=images.device)
        query_tokens = self.query_tokens.expand(image_embeds.size(0), -1, -1)
        query_output = self.multimodal_backbone.bert(query_embeds=query_tokens, encoder_hidden_states=image_embeds,
                                                      encoder_attention_mask=image_atts, return_dict=True)
        prefix = self.vision_neck([query_output.last_hidden_state])
        return prefix, torch.ones(prefix.shape[:-1], dtype=torch.long, device=images.device)

    def generate_text(self, images: torch.Tensor, prompts: List[str], padding_side: str,
                      max_prompt_len: int) -> List[str]:
        """Beam search after ``[query prefix, prompt tokens]``; returns the stripped new text per image."""
        prefix, prefix_atts = self.opt_prefix(images)
        self.tokenizer.padding_side = padding_side
        tokens = self.tokenizer(prompts, return_tensors='pt', padding='longest', truncation=True,
                                max_length=max_prompt_len).to(images.device)
        embeds = self.text_backbone.get_input_embeddings()(tokens.input_ids)
        outputs = self.text_backbone.generate(
            inputs_embeds=torch.cat([prefix.to(embeds.dtype), embeds], dim=1),
            attention_mask=torch.cat([prefix_atts, tokens.attention_mask], dim=1),
            eos_token_id=self.eos_token_id, do_sample=False, **self._generation_cfg)
        return [text.strip() for text in self.tokenizer.batch_decode(outputs, skip_special_tokens=True)]


@MODELS.register_module()
class Blip2LAVISVQA(_LocalOPTMixin, Blip2VQA):
    """:class:`mmpretrain.models.Blip2VQA` answering as LAVIS's zero-shot OPT evaluation.

    Args:
        generation_cfg: ``generate`` arguments; LAVIS: ``num_beams=5, max_new_tokens=10, min_new_tokens=1,
            length_penalty=0``.
        max_prompt_len: prompt tokens kept (LAVIS truncates at ``max_txt_len`` = 32).
        **kwargs: :class:`Blip2VQA`'s (``prompt='Question: {} Short answer:'``).
    """

    def __init__(self, generation_cfg: dict, max_prompt_len: int = 32, **kwargs):
        super().__init__(**self._init_local(kwargs, generation_cfg))
        self.max_prompt_len = max_prompt_len

    def predict(self, images: torch.Tensor, data_samples: List[DataSample], **kwargs) -> List[DataSample]:
        prompts = [self.prompt.format(sample.question) for sample in data_samples]
        for sample, answer in zip(data_samples, self.generate_text(images, prompts, 'left', self.max_prompt_len)):
            sample.pred_answer = answer
        return data_samples


@MODELS.register_module()
class Blip2LAVISCaption(_LocalOPTMixin, Blip2Caption):
    """:class:`mmpretrain.models.Blip2Caption` captioning as LAVIS's OPT evaluation (one caption per image).

    Args:
        generation_cfg: ``generate`` arguments; LAVIS: ``num_beams=5, max_new_tokens=30, min_new_tokens=8,
            length_penalty=1.0, repetition_penalty=1.0``.
        **kwargs: :class:`Blip2Caption`'s (``prompt='a photo of'``).
    """

    def __init__(self, generation_cfg: dict, **kwargs):
        super().__init__(**self._init_local(kwargs, generation_cfg))

    def predict(self, images: torch.Tensor, data_samples: Optional[List[DataSample]] = None,
                **kwargs) -> List[DataSample]:
        data_samples = data_samples or [DataSample() for _ in range(images.size(0))]
        captions = self.generate_text(images, [self.prompt] * images.size(0), 'right', self.max_txt_len)
        for sample, caption in zip(data_samples, captions):
            sample.pred_caption = caption
        return data_samples


@MODELS.register_module()
class Blip2LAVISRetrieval(Blip2Retrieval):
    """:class:`mmpretrain.models.Blip2Retrieval` reading its BERT tokenizer and Q-Former config from local
    folders only (a missing folder names itself); retrieval itself is mmpretrain's (ITC top-k, then ITM).

    Args:
        max_txt_len: caption tokens kept (LAVIS: 35).  mmpretrain 1.2.0's ``Blip2Retrieval`` skips the BLIP
            initialiser that sets it, so its text tokenisation fails without this.
        **kwargs: :class:`Blip2Retrieval`'s.
    """

    def __init__(self, max_txt_len: int = 35, **kwargs):
        require_local_dirs(type(self).__name__, **{
            'tokenizer.name_or_path': _hf_folder(kwargs.get('tokenizer')),
            'multimodal_backbone.model_style': kwargs['multimodal_backbone'].get('model_style'),
        })
        kwargs['tokenizer'] = _local(kwargs.get('tokenizer'))
        super().__init__(**kwargs)
        self.max_txt_len = max_txt_len
