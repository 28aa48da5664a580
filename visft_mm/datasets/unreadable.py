"""What a training dataset does with an image that cannot be read: stop naming it (default), or skip it, counted.

Stage 2 replays its data deterministically, so one corrupt JPEG would stop every ``--resume`` at the same
iteration on the same file.  ``on_unreadable_image='skip'`` returns ``None`` for that sample, and mmengine's
``BaseDataset`` draws another index in its place (``np.random``, which the training loops seed per iteration: the
replacement, and so a resumed run, is deterministic).  Only a failure whose image really does not decode is
treated so; any other pipeline error still stops the run.

Skips happen in the dataloader workers, each a copy of the dataset: the count lives in a small shared-memory
tensor, one slot per worker, so the main process reads the total of all its workers (``unreadable_skipped``) and
:func:`total_unreadable_skipped` sums it over ranks.
"""
import torch
import torch.utils.data
import mmcv
from mmengine.fileio import get
from mmengine.logging import MMLogger

ON_UNREADABLE_IMAGE = ('error', 'skip')
_SLOTS = 1024  # slot 0: the main process, 1 + i: dataloader worker i (modulo, past 1023 workers)


def image_decodes(path: str) -> bool:
    """Whether ``path`` can be read and decoded as an image."""
    try:
        return mmcv.imfrombytes(get(path)) is not None
    except Exception:
        return False


class UnreadableImagePolicy:
    """Mixin for an mmengine dataset whose data infos carry ``img_path`` (put it before the dataset class).

    Args:
        on_unreadable_image: ``'error'`` (default): an unreadable image is an error naming the file and this
            option; ``'skip'``: in training, the sample is replaced by another one (mmengine's refetch) and logged
            with the file name and the running count of this rank (all its dataloader workers together; the total
            over ranks is logged by :class:`~visft_mm.engine.hooks.UnreadableImageCountHook`).  Test-mode datasets
            always stop: an evaluation must see every image.
    """

    def _set_unreadable_policy(self, on_unreadable_image: str) -> None:
        if on_unreadable_image not in ON_UNREADABLE_IMAGE:
            raise ValueError(f'on_unreadable_image must be one of {ON_UNREADABLE_IMAGE}, got {on_unreadable_image!r}')
        self.on_unreadable_image = on_unreadable_image
        # shared before the workers start (fork or spawn), each worker adding to its own slot only: no lost update
        self._unreadable_counts = torch.zeros(_SLOTS, dtype=torch.int64).share_memory_()

    @property
    def unreadable_skipped(self) -> int:
        """Samples skipped so far by this process and all its dataloader workers."""
        return int(self._unreadable_counts.sum())

    def prepare_data(self, idx):
        try:
            return super().prepare_data(idx)
        except Exception as e:
            path = self.get_data_info(idx).get('img_path')
            if path is None or image_decodes(path):
                raise  # not an unreadable image: a real pipeline error
            if self.on_unreadable_image == 'skip' and not self.test_mode:
                worker = torch.utils.data.get_worker_info()
                self._unreadable_counts[0 if worker is None else 1 + worker.id % (_SLOTS - 1)] += 1
                MMLogger.get_current_instance().warning(
                    f'{self.ann_file}: skipping unreadable image {path} ({type(e).__name__}: {e}); '
                    f'{self.unreadable_skipped} skipped so far (on_unreadable_image=\'skip\')')
                return None
            error = FileNotFoundError if isinstance(e, FileNotFoundError) else OSError
            hint = ('' if self.test_mode else ' To skip unreadable images in training (each replaced by another '
                    'sample and counted in the log), set on_unreadable_image=\'skip\' on this dataset: '
                    'train_dataloader.dataset.on_unreadable_image (stage 2: train_dataloader.<task>.dataset...)')
            raise error(f'{self.ann_file}: image {path} cannot be read ({type(e).__name__}: {e}).{hint}') from e


def policy_datasets(dataset) -> list:
    """The :class:`UnreadableImagePolicy` datasets in ``dataset`` and the wrappers around it (``dataset`` /
    ``datasets`` attributes: mmengine's Concat / Repeat / ClassBalanced, :class:`SubsetDataset`)."""
    if isinstance(dataset, UnreadableImagePolicy):
        return [dataset]
    inner = getattr(dataset, 'datasets', None) or [getattr(dataset, 'dataset', None)]
    return [found for child in inner if child is not None for found in policy_datasets(child)]


def total_unreadable_skipped(datasets) -> int:
    """Skipped samples of ``datasets`` summed over this rank's workers and over all ranks (a collective: every rank
    calls it at the same point)."""
    from mmengine.dist import all_reduce
    count = torch.tensor([sum(d.unreadable_skipped for d in datasets)], dtype=torch.int64)
    all_reduce(count)  # no-op outside a process group
    return int(count.item())
