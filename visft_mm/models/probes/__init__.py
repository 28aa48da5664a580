"""Evaluation probes on a (LoRA-merged) EVAViT."""
from .zero_shot_clip import ZeroShotCLIP  # noqa: F401
