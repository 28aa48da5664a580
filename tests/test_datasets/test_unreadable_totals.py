"""Skipped unreadable images are counted once for the whole run: over the dataloader workers (each a copy of the
dataset) and over the ranks, and the total is what the log and the message hub show."""
import logging
import shutil
import types

import pytest
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.logging import MessageHub, MMLogger
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader

from visft_mm.datasets import StrictCocoDataset
from visft_mm.datasets.unreadable import UnreadableImagePolicy, total_unreadable_skipped
from visft_mm.engine.hooks import UnreadableImageCountHook

CLASSES = ('circle', 'square', 'triangle', 'star')
LOAD = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', with_bbox=True),
        dict(type='PackDetInputs', meta_keys=('img_id', 'img_path'))]


@pytest.fixture
def skipping_dataset(synthetic_data, tmp_path):
    """A StrictCocoDataset (skip) on a copy of the synthetic COCO tree whose first two images are corrupt."""
    root, _ = synthetic_data
    shutil.copytree(root / 'coco', tmp_path / 'coco')
    init_default_scope('mmdet')
    dataset = StrictCocoDataset(data_root=str(tmp_path / 'coco'), ann_file='annotations/instances_train2017.json',
                                data_prefix=dict(img='train2017/'), metainfo=dict(classes=CLASSES), pipeline=LOAD,
                                filter_cfg=dict(filter_empty_gt=False), on_unreadable_image='skip')
    for i in (0, 1):
        with open(dataset.get_data_info(i)['img_path'], 'wb') as f:
            f.write(b'not a jpeg')
    return dataset


def test_two_workers_add_up_in_the_main_process(skipping_dataset):
    loader = DataLoader(skipping_dataset, batch_size=1, num_workers=2, sampler=range(4), collate_fn=lambda x: x,
                        multiprocessing_context='fork')
    assert len(list(loader)) == 4
    per_slot = skipping_dataset._unreadable_counts
    # image 0 went to worker 0, image 1 to worker 1; each skipped at least once (a replacement may be corrupt too)
    assert per_slot[0] == 0 and per_slot[1] >= 1 and per_slot[2] >= 1
    assert skipping_dataset.unreadable_skipped == int(per_slot.sum()) >= 2  # was 0 here: workers counted alone

    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    runner = types.SimpleNamespace(train_loop=types.SimpleNamespace(dataloader=loader), logger=logger,
                                   message_hub=MessageHub.get_instance('unreadable_totals'))
    try:
        UnreadableImageCountHook().after_train(runner)
    finally:
        logger.removeHandler(handler)
    assert runner.message_hub.get_info('unreadable_skipped') == skipping_dataset.unreadable_skipped
    assert f'{skipping_dataset.unreadable_skipped} unreadable image(s) skipped so far in total' in records[-1]


class _Counted(UnreadableImagePolicy):
    ann_file = 'counted.json'


def _rank(rank, store, out):
    dist.init_process_group('gloo', init_method=f'file://{store}', rank=rank, world_size=2)
    dataset = _Counted()
    dataset._set_unreadable_policy('skip')
    dataset._unreadable_counts[1 + rank] += rank + 1  # rank 0 skipped 1 image in a worker, rank 1 two
    with open(f'{out}.{rank}', 'w') as f:
        f.write(str(total_unreadable_skipped([dataset])))
    dist.destroy_process_group()


def test_two_gloo_ranks_add_up(tmp_path):
    mp.start_processes(_rank, args=(str(tmp_path / 'store'), str(tmp_path / 'total')), nprocs=2,
                       start_method='fork')
    assert [(tmp_path / f'total.{rank}').read_text() for rank in (0, 1)] == ['3', '3']
