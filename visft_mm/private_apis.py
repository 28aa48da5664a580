"""Every private member of another library that visft_mm uses, in one place, each with why no public API does.

``tests/test_private_apis.py`` pins the behaviour each one is relied on for, so that an upgrade of mmengine,
open_clip or mmpretrain that changes one fails there, by name, rather than somewhere downstream.  Nothing else in
visft_mm touches a private member of those libraries.  (Pinned versions: mmengine 0.10.7, open_clip 3.x,
mmpretrain 1.2.0.)
"""
from typing import Callable, Optional, Tuple

from mmengine.hooks import CheckpointHook


# ------------------------------------------------------------------------------------------ mmengine Runner
# The checkpoint a runner is about to load exists only as ``Runner._load_from`` / ``_resume`` (set from the config,
# read by ``Runner.load_or_resume``, which runs right after the ``before_run`` hooks), and there is no public way to
# point it at another file.  SafeCheckpointLoadHook needs both: to read the file weights-only first, and to hand
# mmengine the downloaded copy of a URL (mmengine unpickles URLs with ``weights_only=False``).
def pending_checkpoint(runner) -> Tuple[Optional[str], bool]:
    """(``load_from``, ``resume``) as the runner will act on them; (None, False) once it has loaded one."""
    if runner._has_loaded:
        return None, False
    return runner._load_from, bool(runner._resume)


def redirect_checkpoint(runner, path: str) -> None:
    """Make the runner's coming ``load_or_resume`` load ``path`` instead (same mode: load or resume)."""
    runner._load_from = path


# ``diff_rank_seed`` of the ``randomness`` config is kept only in ``Runner._randomness_cfg``; mmengine's own loops
# read it there to build their dataloaders.  The multi-dataloader loops build several and need the same value.
def diff_rank_seed(runner) -> bool:
    return bool(runner._randomness_cfg.get('diff_rank_seed', False))


# ``open-mmlab://`` names that mmengine maps to a file under its cache folder: the folder is computed only by
# ``mmengine.runner.checkpoint._get_mmengine_home`` (environment variables and default).
def mmengine_home() -> str:
    from mmengine.runner.checkpoint import _get_mmengine_home
    return _get_mmengine_home()


# The statistics methods a ``HistoryBuffer`` pickles by name (``getattr(HistoryBuffer, 'mean')``) are registered in
# its private class table ``_statistics_methods``; the loader allows exactly those.
def history_buffer_statistics() -> Tuple[str, ...]:
    from mmengine.logging.history_buffer import HistoryBuffer
    return tuple(HistoryBuffer._statistics_methods)


class CheckpointHookSaveStep(CheckpointHook):
    """mmengine's ``CheckpointHook`` with its one saving funnel made overridable under a public name.

    Interval, last and best checkpoints all go through the private ``_save_checkpoint_with_step``; the public
    ``after_train_iter`` / ``after_val_epoch`` each hold their own interval and best-metric logic, which
    overriding them would copy.  Subclasses override :meth:`save_step`.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        return self.save_step(runner, step, meta)

    def save_step(self, runner, step: int, meta: dict) -> None:
        """Save the checkpoint of ``step`` (mmengine's behaviour: delete the oldest kept one, write, point
        ``last_checkpoint`` at it)."""
        return CheckpointHook._save_checkpoint_with_step(self, runner, step, meta)


# ------------------------------------------------------------------------------------------------- open_clip
# open_clip builds a text tower only inside a whole CLIP model (``create_model``: for EVA02-E that is a 4.4 B
# vision tower built and thrown away); ``open_clip.model._build_text_tower`` is the function it uses for the text
# part alone, mapping a model config's ``text_cfg`` to its ``TextTransformer``.
def build_open_clip_text_tower(embed_dim: int, text_cfg: dict, quick_gelu: bool = False):
    from open_clip.model import _build_text_tower
    return _build_text_tower(embed_dim, text_cfg, quick_gelu=quick_gelu)


# ------------------------------------------------------------------------------------------------ mmpretrain
# The official VQA answer normalisation (punctuation, digits and articles) that mmpretrain's ``VQAAcc`` applies
# exists only as the private functions of ``mmpretrain.evaluation.metrics.vqa``.
def vqa_answer_normalizers() -> Tuple[Callable[[str], str], Callable[[str], str]]:
    """(punctuation, digits-and-articles) normalisers of mmpretrain's VQA accuracy."""
    from mmpretrain.evaluation.metrics.vqa import _process_digit_article, _process_punctuation
    return _process_punctuation, _process_digit_article
