"""Zero-shot classification and image-text retrieval with an EVA-CLIP whose vision tower is ``visft_mm.EVAViT``.

Vision: EVAViT (class token after the final norm; the ViSFT LoRA merged by its initializer) -> EVA-CLIP's
``visual.head`` Linear.  Text: EVA-CLIP's text tower built by open_clip from its model config, with open_clip's
tokenizer.  Both are normalised, as in CLIP.  The head, the text tower and ``logit_scale`` are read strictly from
the EVA-CLIP file that the backbone's ``EVAPretrained`` init_cfg names (either layout; see :mod:`.clip_towers`),
so one path in the config, or a benchmark suite's override of it, sets both towers.

Classification (``mode='predict'``): class embeddings follow CLIP_benchmark (the mean of the normalised
embeddings of a class's prompts, normalised again), computed once and kept; scores are
``softmax(logit_scale * image @ classes.T)``.  Retrieval runs in mmpretrain's ``RetrievalTestLoop``:
``mode='tensor'`` returns image and caption embeddings, :meth:`predict_all` scores all pairs.
"""
import hashlib
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import all_gather, get_world_size
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

from visft_mm.checkpoint.io import load_checkpoint_file
from visft_mm.checkpoint.fingerprint import weights_fingerprint
from visft_mm.datasets.zero_shot_classes import classnames as benchmark_classnames
from visft_mm.datasets.zero_shot_classes import templates as benchmark_templates
from visft_mm.registry import MODELS
from .clip_towers import (build_text_tower, build_tokenizer, load_head, load_text_tower, read_clip_checkpoint,
                          split_clip_state)


@MODELS.register_module()
class ZeroShotCLIP(BaseModel):
    """EVA-CLIP zero-shot classifier / retriever with an EVAViT vision tower.

    Args:
        backbone: an ``EVAViT`` config with ``out_type='cls_token'`` (its init_cfg loads the vision trunk and the
            LoRA).
        text_model: open_clip model config name (``'EVA02-E-14-plus'``, ``'EVA01-g-14'``) or a config dict with
            ``embed_dim`` and ``text_cfg``; it sets the text tower, the tokenizer and the embedding size.
        clip_checkpoint: the EVA-CLIP checkpoint for the vision head, the text tower and ``logit_scale``;
            ``None`` (the default): the ``checkpoint`` of the backbone's ``EVAPretrained`` init_cfg.
        prompts: ``dict(classnames=..., templates=...)``, each a benchmark name of
            :mod:`visft_mm.datasets.zero_shot_classes` or a list; needed for classification only.
        text_batch_size: prompts encoded per forward when building class embeddings.
        class_embedding_cache: optional folder: class embeddings are saved there, keyed by the text tower's
            weights and the prompts, and read back by later runs.
    """

    def __init__(self,
                 backbone: dict,
                 text_model: Union[str, dict],
                 clip_checkpoint: Optional[str] = None,
                 prompts: Optional[dict] = None,
                 text_batch_size: int = 256,
                 class_embedding_cache: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        if getattr(self.backbone, 'out_type', None) not in ('cls_token', 'pooled'):
            raise ValueError(f'ZeroShotCLIP needs the backbone\'s pooled feature (EVA-CLIP pools the class token): '
                             f'set out_type=\'cls_token\' (EVAViT) or \'pooled\' (CLIPViT) in the backbone config, '
                             f'got {backbone.get("out_type")!r}')
        self.text, model_cfg = build_text_tower(text_model)
        self.tokenizer = build_tokenizer(text_model)
        # a CLIPViT family knows its own projection (bias-free for OpenAI, none for SigLIP) and file layout
        build_projection = getattr(self.backbone, 'build_clip_projection', None)
        self.visual_head = (build_projection(model_cfg['embed_dim']) if build_projection is not None
                            else nn.Linear(self.backbone.embed_dims, model_cfg['embed_dim']))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.clip_checkpoint = clip_checkpoint
        self.prompts = None if prompts is None else dict(
            classnames=benchmark_classnames(prompts['classnames']), templates=benchmark_templates(prompts['templates']))
        self.text_batch_size = text_batch_size
        self.class_embedding_cache = class_embedding_cache
        self._class_embeddings: Optional[torch.Tensor] = None
        self.requires_grad_(False)  # evaluation only
        self.register_load_state_dict_pre_hook(self._weights_from_a_checkpoint)

    # ------------------------------------------------------------------ weights
    def init_weights(self):
        """The backbone's initializer (vision trunk + LoRA), then the head, text tower and logit scale."""
        super().init_weights()
        self._class_embeddings = None
        path = self.clip_checkpoint or self._backbone_checkpoint()
        parts = getattr(self.backbone, 'split_clip_state', split_clip_state)(read_clip_checkpoint(path), path)
        load_head(self.visual_head, parts['head'], path)
        load_text_tower(self.text, parts['text'], path)
        self.logit_scale.data.copy_(parts['logit_scale'].reshape(()))
        MMLogger.get_current_instance().info(
            f'ZeroShotCLIP: vision head, text tower ({len(parts["text"])} tensors) and logit_scale from '
            f'{path} ({parts["layout"]} layout)')

    def _backbone_checkpoint(self) -> str:
        init_cfg = self.backbone.init_cfg
        if isinstance(init_cfg, dict) and init_cfg.get('type') in ('EVAPretrained', 'visft_mm.EVAPretrained'):
            return init_cfg['checkpoint']
        raise ValueError('ZeroShotCLIP needs the EVA-CLIP file: give the backbone '
                         'init_cfg=dict(type=\'EVAPretrained\', checkpoint=...) or clip_checkpoint=...')

    def _weights_from_a_checkpoint(self, *args):
        self._class_embeddings = None  # new text-tower weights: the class embeddings are recomputed

    # ------------------------------------------------------------------ embeddings
    def encode_image(self, inputs: torch.Tensor) -> torch.Tensor:
        cls_token = self.backbone(inputs)[-1]
        return F.normalize(self.visual_head(cls_token), dim=-1)

    def encode_text(self, texts: Sequence[str]) -> torch.Tensor:
        device = self.logit_scale.device
        out = [self.text(self.tokenizer(list(texts[i:i + self.text_batch_size])).to(device))
               for i in range(0, len(texts), self.text_batch_size)]
        return F.normalize(torch.cat(out), dim=-1)

    @torch.no_grad()
    def class_embeddings(self) -> torch.Tensor:
        """(num_classes, D): per class, the normalised mean of its normalised prompt embeddings."""
        if self._class_embeddings is not None:
            return self._class_embeddings
        if self.prompts is None:
            raise ValueError('classification needs prompts=dict(classnames=..., templates=...) in the model config')
        names, templates = self.prompts['classnames'], self.prompts['templates']
        cache = self._cache_file()
        if cache is not None and osp.isfile(cache):
            embeddings = load_checkpoint_file(cache, map_location=self.logit_scale.device)
        else:
            texts = [t.format(c=name) for name in names for t in templates]
            per_prompt = self.encode_text(texts).view(len(names), len(templates), -1)
            embeddings = F.normalize(per_prompt.mean(dim=1), dim=-1)
            if cache is not None:
                os.makedirs(osp.dirname(cache), exist_ok=True)
                torch.save(embeddings.cpu(), cache)
        self._class_embeddings = embeddings
        return embeddings

    def _cache_file(self) -> Optional[str]:
        if not self.class_embedding_cache:
            return None
        key = json.dumps([weights_fingerprint(self.text.state_dict().values()), self.prompts])
        key = hashlib.sha1(key.encode()).hexdigest()[:16]
        return osp.join(self.class_embedding_cache, f'class_embeddings_{key}.pth')

    # ------------------------------------------------------------------ mmengine interface
    def forward(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] = None, mode: str = 'tensor'):
        if not self.is_init:  # random towers would score silently at chance
            raise RuntimeError('ZeroShotCLIP is not initialised: call init_weights() (a Runner does it through '
                               "visft_mm's InitWeightsHook, in configs/_base_/eval_runtime.py)")
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.extract_feat(inputs, data_samples)
        raise RuntimeError(f'ZeroShotCLIP only evaluates (mode "predict" or "tensor"), got mode={mode!r}')

    def predict(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        logits = self.logit_scale.exp() * self.encode_image(inputs) @ self.class_embeddings().t()
        scores = logits.softmax(dim=-1)
        data_samples = data_samples or [DataSample() for _ in range(len(scores))]
        for sample, score in zip(data_samples, scores):
            sample.set_pred_score(score).set_pred_label(score.argmax(keepdim=True))
        return data_samples

    def extract_feat(self, inputs: torch.Tensor,
                     data_samples: Optional[List[DataSample]] = None) -> Union[torch.Tensor, Dict[str, torch.Tensor]]:
        """Image embeddings; with retrieval samples (``text``, ``gt_text_id``), a dict of image and caption
        embeddings and their dataset ids (so that gathering from several processes keeps the order)."""
        image = self.encode_image(inputs)
        if not data_samples or 'text' not in data_samples[0]:
            return image
        texts, text_ids = [], []
        for sample in data_samples:
            texts.extend(sample.text)
            text_ids.extend(int(i) for i in sample.gt_text_id)
        device = image.device
        return dict(image_feat=image, text_feat=self.encode_text(texts),
                    image_id=torch.tensor([int(s.image_id) for s in data_samples], device=device),
                    text_id=torch.tensor(text_ids, device=device))

    @torch.no_grad()
    def predict_all(self, feats: Dict[str, torch.Tensor], data_samples: List[DataSample],
                    num_images: Optional[int] = None, num_texts: Optional[int] = None
                    ) -> Tuple[List[DataSample], List[DataSample]]:
        """Score every image against every caption (mmpretrain's ``RetrievalTestLoop`` interface): returns
        (one sample per local image, scores over all captions; one per local caption, scores over all images),
        with ``gt_label`` the matching caption / image ids for mmpretrain's ``RetrievalRecall``."""
        images = _gather_by_id(feats['image_feat'], feats['image_id'], num_images)
        texts = _gather_by_id(feats['text_feat'], feats['text_id'], num_texts)
        i2t = feats['image_feat'] @ texts.t()
        t2i = feats['text_feat'] @ images.t()
        i2t_samples, t2i_samples = [], []
        for sample, score in zip(data_samples, i2t):
            i2t_samples.append(DataSample(pred_score=score, gt_label=torch.as_tensor(sample.gt_text_id)))
        caption_image_ids = [int(i) for sample in data_samples for i in sample.gt_image_id]
        for image_id, score in zip(caption_image_ids, t2i):
            t2i_samples.append(DataSample(pred_score=score, gt_label=torch.tensor([image_id])))
        return i2t_samples, t2i_samples


def _gather_by_id(local: torch.Tensor, ids: torch.Tensor, total: Optional[int]) -> torch.Tensor:
    """Rows of every process placed at their dataset ids (samplers may pad and interleave)."""
    if get_world_size() > 1:
        local, ids = _all_gather_rows(local), _all_gather_rows(ids)
    total = total if total is not None else int(ids.max()) + 1
    out = local.new_zeros(total, local.shape[1])
    seen = torch.zeros(total, dtype=torch.bool, device=local.device)
    out[ids], seen[ids] = local, True
    if not bool(seen.all()):
        raise RuntimeError(f'retrieval: {int((~seen).sum())} of {total} items got no embedding')
    return out


def _all_gather_rows(tensor: torch.Tensor) -> torch.Tensor:
    """Concatenate a tensor from every process; row counts may differ (COCO images have 5 to 7 captions)."""
    sizes = [int(n) for n in all_gather(torch.tensor(tensor.shape[0], device=tensor.device))]
    padded = torch.cat([tensor, tensor.new_zeros(max(sizes) - tensor.shape[0], *tensor.shape[1:])])
    return torch.cat([rows[:n] for rows, n in zip(all_gather(padded), sizes)])
