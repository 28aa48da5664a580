"""Show, attend and tell (Xu et al. 2015) on the EVA-ViT feature map: ViSFT's captioning head.

The backbone map is pooled to 14x14 and a soft-attention LSTM (attention, embedding and LSTM widths 384, dropout
0.5, f_beta gate, h/c initialised from the mean feature) writes the caption.  Loss: word cross-entropy plus the
doubly stochastic attention regulariser ``alpha_c * mean((1 - sum_t alpha_t)^2)``.  Teacher forcing in training,
beam search at inference.  The vocabulary file is part of the model: its words are saved in the checkpoint and a
checkpoint with another vocabulary does not load.
"""
import json
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

from visft_mm.datasets.captions import END, PAD, START, Vocabulary
from visft_mm.registry import MODELS


class SoftAttention(nn.Module):

    def __init__(self, feature_dims: int, hidden_dims: int, attention_dims: int):
        super().__init__()
        self.feature_proj = nn.Linear(feature_dims, attention_dims)
        self.hidden_proj = nn.Linear(hidden_dims, attention_dims)
        self.score = nn.Linear(attention_dims, 1)

    def forward(self, features, projected, hidden):
        """features (B, P, C), projected = feature_proj(features), hidden (B, H) -> context (B, C), alpha (B, P)."""
        alpha = self.score(torch.relu(projected + self.hidden_proj(hidden)[:, None])).squeeze(-1).softmax(-1)
        return (features * alpha[..., None]).sum(1), alpha


class ShowAttendTellDecoder(nn.Module):

    def __init__(self, feature_dims: int, vocab_size: int, embed_dims: int = 384, hidden_dims: int = 384,
                 attention_dims: int = 384, dropout: float = 0.5):
        super().__init__()
        self.attention = SoftAttention(feature_dims, hidden_dims, attention_dims)
        self.embedding = nn.Embedding(vocab_size, embed_dims)
        self.lstm = nn.LSTMCell(embed_dims + feature_dims, hidden_dims)
        self.init_h = nn.Linear(feature_dims, hidden_dims)
        self.init_c = nn.Linear(feature_dims, hidden_dims)
        self.f_beta = nn.Linear(hidden_dims, feature_dims)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_dims, vocab_size)

    def init_state(self, features):
        mean = features.mean(1)
        return self.init_h(mean), self.init_c(mean)

    def step(self, features, projected, words, state):
        """One word: (B,) ids -> logits (B, V), alpha (B, P), new state."""
        h, c = state
        context, alpha = self.attention(features, projected, h)
        context = torch.sigmoid(self.f_beta(h)) * context
        h, c = self.lstm(torch.cat([self.embedding(words), context], dim=1), (h, c))
        return self.fc(self.dropout(h)), alpha, (h, c)

    def forward(self, features, tokens):
        """Teacher forcing: tokens (B, T) starting with <start> -> logits (B, T-1, V), alphas (B, T-1, P)."""
        projected = self.attention.feature_proj(features)
        state = self.init_state(features)
        logits, alphas = [], []
        for t in range(tokens.shape[1] - 1):
            step_logits, alpha, state = self.step(features, projected, tokens[:, t], state)
            logits.append(step_logits)
            alphas.append(alpha)
        return torch.stack(logits, 1), torch.stack(alphas, 1)


@MODELS.register_module()
class LSTMCaptioner(BaseModel):
    """Backbone feature map -> adaptive average pool (``pool_size``) -> :class:`ShowAttendTellDecoder`.

    Args:
        backbone: e.g. ``dict(type='EVAViT', arch='eva-g', frozen=True, out_type='featmap')``.
        vocab_file: the vocabulary JSON of :class:`~visft_mm.datasets.captions.Vocabulary`.
        alpha_c: weight of the doubly stochastic attention regulariser.
        beam_size / max_length: inference settings (``beam_size=1`` is greedy decoding).
    """

    def __init__(self, backbone: dict, vocab_file: str, embed_dims: int = 384, hidden_dims: int = 384,
                 attention_dims: int = 384, dropout: float = 0.5, pool_size: int = 14, alpha_c: float = 1.0,
                 beam_size: int = 3, max_length: int = 20, data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.vocab = Vocabulary.load(vocab_file)
        self.vocab_file = vocab_file
        self.pool = nn.AdaptiveAvgPool2d(pool_size)
        self.decoder = ShowAttendTellDecoder(self.backbone.embed_dims, len(self.vocab), embed_dims, hidden_dims,
                                             attention_dims, dropout)
        self.alpha_c = alpha_c
        self.beam_size = beam_size
        self.max_length = max_length

    # The vocabulary travels with the weights (``<prefix>_extra_state`` in the state dict), as a uint8 tensor of
    # the words in JSON: state dicts stay tensor-only, which mmengine's broadcast of the initial weights to every
    # rank of a distributed run requires.
    def get_extra_state(self):
        return torch.tensor(list(json.dumps(self.vocab.words).encode('utf-8')), dtype=torch.uint8)

    def set_extra_state(self, state):
        if isinstance(state, torch.Tensor):
            words = json.loads(bytes(state.cpu().tolist()).decode('utf-8'))
        else:  # checkpoints written before the tensor form
            words = state.get('vocab_words') if isinstance(state, dict) else None
        if words != self.vocab.words:
            size = len(words) if words else 0
            raise ValueError(f'the checkpoint was trained with another caption vocabulary ({size} words) than '
                             f'{self.vocab_file!r} ({len(self.vocab)} words)')

    def extract_feat(self, inputs):
        return self.backbone(inputs)[-1]

    def _attention_features(self, feature_map):
        return self.pool(feature_map).flatten(2).transpose(1, 2)  # (B, P, C)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        return self.extract_feat(inputs)

    def _padded_tokens(self, data_samples, device):
        lengths = [len(s.gt_tokens) for s in data_samples]
        tokens = torch.full((len(data_samples), max(lengths)), self.vocab.index[PAD], dtype=torch.long)
        for row, sample in enumerate(data_samples):
            tokens[row, :len(sample.gt_tokens)] = torch.as_tensor(sample.gt_tokens)
        return tokens.to(device)

    def loss(self, inputs, data_samples):
        return self.loss_by_feat(self.extract_feat(inputs), data_samples)

    def loss_by_feat(self, feature_map, data_samples):
        """Losses from a backbone feature map (B, C, H, W): the entry point when the backbone is shared."""
        features = self._attention_features(feature_map)
        tokens = self._padded_tokens(data_samples, features.device)
        logits, alphas = self.decoder(features, tokens)
        targets = tokens[:, 1:]
        valid = targets != self.vocab.index[PAD]
        loss_word = F.cross_entropy(logits[valid], targets[valid])
        attention_sum = (alphas * valid[..., None]).sum(1)  # (B, P): each location's total attention
        loss_attention = self.alpha_c * ((1.0 - attention_sum) ** 2).mean()
        return dict(loss_word=loss_word, loss_attention=loss_attention)

    def predict(self, inputs, data_samples=None) -> List[BaseDataElement]:
        return self.predict_by_feat(self.extract_feat(inputs), data_samples)

    @torch.no_grad()
    def predict_by_feat(self, feature_map, data_samples=None) -> List[BaseDataElement]:
        """Captions (``pred_caption``) from a backbone feature map (B, C, H, W)."""
        features = self._attention_features(feature_map)
        samples = data_samples if data_samples is not None else [BaseDataElement() for _ in range(len(features))]
        for sample, feature in zip(samples, features):
            sample.pred_caption = self.vocab.decode(self.beam_search(feature[None]))
        return samples

    def beam_search(self, features: torch.Tensor) -> List[int]:
        """Ids of the best caption for one image (features (1, P, C)); never ``<pad>``/``<start>`` inside it."""
        beam, V = self.beam_size, len(self.vocab)
        start, end = self.vocab.index[START], self.vocab.index[END]
        banned = torch.tensor([self.vocab.index[PAD], start], device=features.device)
        features = features.expand(beam, -1, -1)
        projected = self.decoder.attention.feature_proj(features)
        h, c = self.decoder.init_state(features)
        words = torch.full((beam, ), start, dtype=torch.long, device=features.device)
        scores = torch.zeros(beam, device=features.device)
        scores[1:] = float('-inf')  # all beams start identical: expand only the first
        sequences = torch.empty((beam, 0), dtype=torch.long, device=features.device)
        finished = []  # (score, ids)
        for _ in range(self.max_length + 1):
            logits, _, (h, c) = self.decoder.step(features, projected, words, (h, c))
            log_probs = logits.log_softmax(-1)
            log_probs[:, banned] = float('-inf')
            total = (scores[:, None] + log_probs).view(-1)
            top_scores, top = total.topk(beam)
            rows, words = top // V, top % V
            sequences = torch.cat([sequences[rows], words[:, None]], dim=1)
            h, c, scores = h[rows], c[rows], top_scores
            done = words == end
            for row in done.nonzero().flatten().tolist():
                finished.append((scores[row].item(), sequences[row, :-1].tolist()))
            scores = scores.masked_fill(done, float('-inf'))
            if len(finished) >= beam or torch.isinf(scores).all():
                break
        if not finished:  # no beam ended within max_length: take the best unfinished one
            best = int(scores.argmax())
            finished.append((scores[best].item(), sequences[best].tolist()))
        return max(finished, key=lambda item: item[0])[1]
