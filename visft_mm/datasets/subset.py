"""A seeded random fraction of a dataset: ViSFT's 25% / 50% training-data ablations."""
from typing import Union

import numpy as np

from visft_mm.registry import DATASETS


@DATASETS.register_module()
class SubsetDataset:
    """``fraction`` of ``dataset``'s samples, drawn without replacement with ``seed`` (the same subset on every
    rank and every run), in the dataset's order.  Wraps any mmengine dataset; mmdet's aspect-ratio batch sampler
    works through :meth:`get_data_info`."""

    def __init__(self, dataset: Union[dict, object], fraction: float, seed: int = 0):
        if not 0 < fraction <= 1:
            raise ValueError(f'SubsetDataset fraction must be in (0, 1], got {fraction!r}')
        self.dataset = DATASETS.build(dataset) if isinstance(dataset, dict) else dataset
        total = len(self.dataset)
        count = max(1, int(round(total * fraction)))
        self.indices = np.sort(np.random.default_rng(seed).choice(total, size=count, replace=False)).tolist()
        self.fraction = fraction

    @property
    def metainfo(self) -> dict:
        return self.dataset.metainfo

    def get_data_info(self, idx: int) -> dict:
        return self.dataset.get_data_info(self.indices[idx])

    def __getitem__(self, idx: int):
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        return len(self.indices)
