"""What ``load_from`` / ``resume`` will load, checked before mmengine loads it.

mmengine's runner loads ``load_from`` / the resume checkpoint right after the ``before_run`` hooks.  Left alone,
(1) an ``http(s)://`` or ``open-mmlab://`` checkpoint is unpickled by ``torch.hub`` with ``weights_only=False``
(code execution), (2) an empty or torn ``last_checkpoint`` / newest checkpoint stops ``--resume`` with a bare
"can not be found" or zip error, (3) a checkpoint whose tensors have other shapes (e.g. a LoRA of another rank)
is loaded with a warning and training silently starts from scratch (``load_from``) or crashes inside the optimizer
(``resume``).
"""
import glob
import os.path as osp
import re
from typing import List, Optional, Tuple

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from visft_mm.checkpoint.io import atomic_write, is_remote, load_checkpoint_file, localize_checkpoint
from visft_mm.private_apis import pending_checkpoint, redirect_checkpoint
from visft_mm.registry import HOOKS

_STEP = re.compile(r'(?:iter|epoch)_(\d+)\.pth$')


def checkpoint_candidates(work_dir: str) -> List[str]:
    """``iter_*.pth`` / ``epoch_*.pth`` in ``work_dir``, newest (highest step) first."""
    found = [p for p in glob.glob(osp.join(work_dir, '*_*.pth')) if _STEP.search(osp.basename(p))]
    return sorted(found, key=lambda p: int(_STEP.search(osp.basename(p)).group(1)), reverse=True)


def _lora_rank(key: str, shape: Tuple[int, ...]) -> Optional[int]:
    if '.lora_A.' in key and len(shape) == 2:
        return shape[0]
    if '.lora_B.' in key and len(shape) == 2:
        return shape[1]
    return None


@HOOKS.register_module()
class SafeCheckpointLoadHook(Hook):
    """Checks the checkpoint the runner is about to load (``load_from``, ``resume``), in ``before_run``.

    * every checkpoint is first read with ``weights_only=True`` (mmengine's globals allowed): a file that would
      run code, or a truncated one, is an error naming it; a URL (``http(s)://``, ``open-mmlab://``) is
      downloaded to a local file which the runner then loads instead (mmengine would unpickle the URL with
      ``weights_only=False``);
    * auto-resume (``resume=True`` without ``load_from``) whose ``last_checkpoint`` is empty, or names a missing
      or unreadable file, says so, falls back to the newest readable ``iter_*.pth`` / ``epoch_*.pth`` of the work
      dir and rewrites ``last_checkpoint`` to it;
    * with ``strict_shapes=True`` (default) a tensor whose shape differs from the model's is an error naming the
      file, the key, both shapes and, for LoRA weights, both ranks.

    Args:
        strict_shapes: refuse a checkpoint with tensors of other shapes (mmengine would skip them with a warning).
    """

    priority = 'VERY_HIGH'

    def __init__(self, strict_shapes: bool = True):
        self.strict_shapes = strict_shapes

    def before_run(self, runner) -> None:
        load_from, resume = pending_checkpoint(runner)
        if resume and load_from is None:
            load_from, checkpoint = self._newest_readable(runner)
            if load_from is None:
                return
        elif load_from is None:
            return
        else:
            checkpoint = load_checkpoint_file(load_from)  # weights_only; a URL is downloaded first
        if is_remote(load_from):
            local = localize_checkpoint(load_from)  # the file just downloaded and checked
            runner.logger.info(f'checkpoint {load_from} downloaded to {local}; the runner loads that file')
            redirect_checkpoint(runner, local)
        if self.strict_shapes:
            self._check_shapes(runner, load_from, checkpoint)

    def _newest_readable(self, runner) -> Tuple[Optional[str], Optional[dict]]:
        """(path, checkpoint) auto-resume should use, with ``last_checkpoint`` repaired if it had to look further."""
        pointer = osp.join(runner.work_dir, 'last_checkpoint')
        if not osp.exists(pointer) and not checkpoint_candidates(runner.work_dir):
            return None, None  # nothing saved yet: mmengine starts from scratch
        named, problems = '', []
        if not osp.exists(pointer):  # killed between a checkpoint's rename and the pointer's
            problems.append(f'{pointer} does not exist')
        else:
            with open(pointer) as f:
                named = f.read().strip()
            if not named:
                problems.append(f'{pointer} is empty (a write torn by a kill?)')
        candidates = ([named] if named else []) + [p for p in checkpoint_candidates(runner.work_dir)
                                                  if osp.abspath(p) != osp.abspath(named or '')]
        for path in candidates:
            if not osp.isfile(path):
                problems.append(f'{path} does not exist')
                continue
            try:
                checkpoint = load_checkpoint_file(path)
            except ValueError as e:
                problems.append(str(e))
                continue
            if problems:
                runner.logger.warning('resume: ' + '; '.join(problems) + f'. Resuming from {path}, the newest '
                                      f'readable checkpoint, and pointing {pointer} at it')
                redirect_checkpoint(runner, path)  # every rank decides alike, whenever rank 0 rewrites the pointer
                if is_main_process():
                    atomic_write(pointer, path.encode())
            return path, checkpoint
        raise RuntimeError(f'resume: no readable checkpoint in {runner.work_dir}: ' + '; '.join(problems) +
                           '. Remove the work dir (or resume=False) to train from scratch')

    def _check_shapes(self, runner, path: str, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else {}
        own = model.state_dict()
        for key, value in state.items():
            key = key[len('module.'):] if key.startswith('module.') else key
            shape = tuple(getattr(value, 'shape', ()))
            if key not in own or not hasattr(value, 'shape') or tuple(own[key].shape) == shape:
                continue
            expected = tuple(own[key].shape)
            ranks = (_lora_rank(key, shape), _lora_rank(key, expected))
            detail = (f' (LoRA rank {ranks[0]} in the checkpoint, rank {ranks[1]} in the model: set the model\'s '
                      'LoRA rank to match or use a checkpoint of this rank)') if None not in ranks else ''
            raise ValueError(f'checkpoint {path!r} does not fit the model: {key!r} has shape {shape} in the '
                             f'checkpoint and {expected} in the model{detail}')
