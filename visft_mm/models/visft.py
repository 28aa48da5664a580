"""ViSFT stage 2: one EVA-ViT with LoRA shared by the frozen stage-1 heads; each forward runs one task.

A head is a whole stage-1 model (``SingleLevelDETR``, ``SingleLevelMask2Former``, ``LSTMCaptioner``) built from its
stage-1 model config with :class:`~visft_mm.models.backbones.BackboneFeatures` in its backbone slot, so its own
``loss`` / ``predict`` code runs unchanged on the shared feature map.  Its weights come from its stage-1 checkpoint
at ``init_weights`` time, strictly; its data preprocessor is used for its task's batches.
"""
import copy
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseDataPreprocessor, BaseModel

from visft_mm.checkpoint import meta as checkpoint_meta
from visft_mm.checkpoint.io import load_checkpoint_file
from visft_mm.checkpoint.keys import key_diff
from visft_mm.registry import MODELS

HEAD_KEYS = ('model', 'checkpoint', 'frozen')
FROZEN_HEAD_MODES = ('train', 'eval')


@MODELS.register_module()
class TaskDataPreprocessor(BaseDataPreprocessor):
    """Sends a batch tagged ``task=<name>`` (by the task-sampling loops) through that task's preprocessor."""

    def __init__(self, preprocessors: Dict[str, nn.Module]):
        super().__init__()
        self.preprocessors = nn.ModuleDict(preprocessors)

    def forward(self, data: dict, training: bool = False) -> dict:
        task = data.get('task') if isinstance(data, dict) else None
        if task not in self.preprocessors:
            raise KeyError(f'a ViSFT batch must carry task=<one of {list(self.preprocessors)}>, got {task!r}: '
                           'use the TaskSamplingTrainLoop / MultiTaskValLoop / MultiTaskTestLoop')
        batch = self.preprocessors[task]({k: v for k, v in data.items() if k != 'task'}, training)
        return dict(batch, task=task)


@MODELS.register_module()
class ViSFT(BaseModel):
    """Joint fine-tuning of a shared backbone through several task heads.

    Args:
        backbone: the shared backbone, e.g. ``dict(type='EVAViT', arch='eva-e', frozen=True, lora=dict(r=64,
            alpha=1))`` with its EVA-CLIP ``init_cfg``; it must output a feature map (``out_type='featmap'``).
        heads: ``{task: dict(model=<stage-1 model config>, checkpoint=<stage-1 checkpoint>, frozen=True)}``.  The
            model config's own ``backbone`` is replaced by the shared one.  ``frozen=True`` (default) keeps the
            head's weights out of training and requires a checkpoint: a frozen random head would silently pull
            the LoRA towards noise.  ``frozen=False`` trains the head too (the paper's head-lr ablation; set its
            lr with ``optim_wrapper.paramwise_cfg.custom_keys={'heads.': dict(lr_mult=...)}``).
        frozen_head_mode: ``'train'`` (default, as the reference code: frozen heads keep dropout active while
            the LoRA trains) or ``'eval'`` (frozen heads run deterministically in training).
    """

    def __init__(self, backbone: dict, heads: Dict[str, dict], frozen_head_mode: str = 'train',
                 data_preprocessor: Optional[dict] = None, init_cfg: Optional[dict] = None):
        if data_preprocessor is not None:
            raise ValueError('ViSFT uses each head\'s own data_preprocessor (from its model config); '
                             'remove model.data_preprocessor')
        if frozen_head_mode not in FROZEN_HEAD_MODES:
            raise ValueError(f'frozen_head_mode must be one of {FROZEN_HEAD_MODES}, got {frozen_head_mode!r}')
        if not heads:
            raise ValueError('ViSFT needs at least one head: heads=dict(<task>=dict(model=..., checkpoint=...))')
        super().__init__(init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.frozen_head_mode = frozen_head_mode
        self.heads = nn.ModuleDict()
        self.head_checkpoints: Dict[str, Optional[str]] = {}
        self.frozen_heads: List[str] = []
        for task, spec in heads.items():
            self.heads[task] = self._build_head(task, spec)
        self.data_preprocessor = TaskDataPreprocessor(
            {task: head.data_preprocessor for task, head in self.heads.items()})

    def _build_head(self, task: str, spec: dict) -> nn.Module:
        unknown = set(spec) - set(HEAD_KEYS)
        if unknown or 'model' not in spec:
            raise ValueError(f'model.heads.{task} takes keys {HEAD_KEYS} (model required), got {sorted(spec)}')
        frozen = spec.get('frozen', True)
        checkpoint = spec.get('checkpoint')
        if frozen and not checkpoint:
            raise ValueError(f'model.heads.{task} is frozen but has no stage-1 checkpoint: a frozen randomly '
                             'initialised head would train the LoRA towards noise. Set '
                             f'model.heads.{task}.checkpoint (or frozen=False to train it from scratch)')
        head = self.build_head(spec['model'], self.backbone.embed_dims)
        if frozen:
            head.requires_grad_(False)
            self.frozen_heads.append(task)
        self.head_checkpoints[task] = checkpoint
        return head

    @staticmethod
    def build_head(model_cfg: dict, embed_dims: int) -> nn.Module:
        """A stage-1 model config built as a ViSFT head: its backbone slot reads the shared backbone's feature map
        (``embed_dims`` channels).  Weights are left as built; frozen / checkpoint handling is ``heads``' job."""
        model_cfg = copy.deepcopy(dict(model_cfg))
        model_cfg['backbone'] = dict(type='visft_mm.BackboneFeatures', embed_dims=embed_dims)
        return MODELS.build(model_cfg)

    @property
    def tasks(self) -> List[str]:
        return list(self.heads)

    def init_weights(self):
        """The backbone from its ``init_cfg`` (EVA-CLIP), then every head from its stage-1 checkpoint."""
        self.backbone.init_weights()
        for task, head in self.heads.items():
            head.init_weights()
            if self.head_checkpoints[task]:
                self.load_head(task, self.head_checkpoints[task])
        self._is_init = True

    def load_head(self, task: str, path: str) -> None:
        """Load a stage-1 checkpoint into head ``task``; any mismatch is an error that names the file."""
        where = f'stage-1 checkpoint {path!r} for the {task} head'
        try:  # weights_only, URLs downloaded first: a crafted file cannot run code
            checkpoint = load_checkpoint_file(path, map_location='cpu')
        except FileNotFoundError:
            raise FileNotFoundError(f'{where} does not exist (model.heads.{task}.checkpoint)') from None
        except (ValueError, OSError) as e:  # truncated / refused file, failed download
            raise ValueError(f'{where} (model.heads.{task}.checkpoint): {e}') from None
        state = checkpoint.get('state_dict', checkpoint)
        meta = checkpoint.get('meta') or {}
        # a file not written by TrainableCheckpointHook: say what went unchecked
        if not checkpoint_meta.check_backbone(meta, self.backbone, where) or 'backbone_arch' not in meta:
            MMLogger.get_current_instance().warning(
                f'{where} records no backbone arch / frozen-weight fingerprint: its backbone cannot be checked')
        state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
        state = {k: v for k, v in state.items() if not k.startswith('backbone.')}  # stage 1's frozen copy
        head = self.heads[task]
        # keys here; shapes by load_state_dict below (a captioner's vocabulary is an _extra_state of any length,
        # which the captioner itself compares, naming both vocabularies)
        diff = key_diff(state.keys(), head.state_dict().keys())
        if diff:
            raise ValueError(f'{where} does not fit the head built from model.heads.{task}.model: {diff}')
        try:
            head.load_state_dict(state, strict=True)
        except (RuntimeError, ValueError) as e:  # shapes, or the captioner's vocabulary check
            raise ValueError(f'{where}: {e}') from None
        MMLogger.get_current_instance().info(
            f'loaded the {task} head ({len(state)} tensors{", frozen" if task in self.frozen_heads else ""}) '
            f'from {path}')

    def train(self, mode: bool = True):
        super().train(mode)
        if mode and self.frozen_head_mode == 'eval':
            for task in self.frozen_heads:
                self.heads[task].eval()
        return self

    def _head(self, task):
        if task not in self.heads:
            raise KeyError(f'ViSFT has no head for task {task!r}; heads: {self.tasks}')
        return self.heads[task]

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The shared backbone's (last) feature map: computed once per batch, whatever the task."""
        return self.backbone(inputs)[-1]

    def forward(self, inputs: torch.Tensor, data_samples=None, mode: str = 'tensor', task: Optional[str] = None):
        head = self._head(task)
        feature_map = self.extract_feat(inputs)
        if mode == 'loss':
            return {f'{task}.{name}': value for name, value in head.loss(feature_map, data_samples).items()}
        if mode == 'predict':
            return head.predict(feature_map, data_samples)
        if mode == 'tensor':
            return head(feature_map, data_samples, mode='tensor')
        raise ValueError(f'invalid mode {mode!r}; ViSFT supports loss, predict and tensor')
