"""What a training dataset does with an image that cannot be read: stop naming it (default), or skip it, counted.

Stage 2 replays its data deterministically, so one corrupt JPEG would stop every ``--resume`` at the same
iteration on the same file.  ``on_unreadable_image='skip'`` returns ``None`` for that sample, and mmengine's
``BaseDataset`` draws another index in its place (``np.random``, which the training loops seed per iteration: the
replacement, and so a resumed run, is deterministic).  Only a failure whose image really does not decode is
treated so; any other pipeline error still stops the run.
"""
import mmcv
from mmengine.fileio import get
from mmengine.logging import MMLogger

ON_UNREADABLE_IMAGE = ('error', 'skip')


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
            with the file name and the running count of skipped samples of this data-loading process (each
            dataloader worker counts its own).  Test-mode datasets always stop: an evaluation must see every image.
    """

    def _set_unreadable_policy(self, on_unreadable_image: str) -> None:
        if on_unreadable_image not in ON_UNREADABLE_IMAGE:
            raise ValueError(f'on_unreadable_image must be one of {ON_UNREADABLE_IMAGE}, got {on_unreadable_image!r}')
        self.on_unreadable_image = on_unreadable_image
        self.unreadable_skipped = 0

    def prepare_data(self, idx):
        try:
            return super().prepare_data(idx)
        except Exception as e:
            path = self.get_data_info(idx).get('img_path')
            if path is None or image_decodes(path):
                raise  # not an unreadable image: a real pipeline error
            if self.on_unreadable_image == 'skip' and not self.test_mode:
                self.unreadable_skipped += 1
                MMLogger.get_current_instance().warning(
                    f'{self.ann_file}: skipping unreadable image {path} ({type(e).__name__}: {e}); '
                    f'{self.unreadable_skipped} skipped so far (on_unreadable_image=\'skip\')')
                return None
            error = FileNotFoundError if isinstance(e, FileNotFoundError) else OSError
            hint = ('' if self.test_mode else ' To skip unreadable images in training (each replaced by another '
                    'sample and counted in the log), set on_unreadable_image=\'skip\' on this dataset: '
                    'train_dataloader.dataset.on_unreadable_image (stage 2: train_dataloader.<task>.dataset...)')
            raise error(f'{self.ann_file}: image {path} cannot be read ({type(e).__name__}: {e}).{hint}') from e
