"""SubsetDataset: the data-fraction ablations draw a seeded, fixed subset and keep the wrapped dataset's API."""
import pytest

from visft_mm.registry import DATASETS


def _coco(synthetic_data):
    root, _ = synthetic_data
    return dict(type='visft_mm.StrictCocoDataset', _scope_='mmdet', data_root=str(root / 'coco'),
                ann_file='annotations/instances_train2017.json', data_prefix=dict(img='train2017/'),
                metainfo=dict(classes=('circle', 'square', 'triangle', 'star')), pipeline=[])


def test_a_seeded_fraction_with_the_datasets_api(synthetic_data):
    full = DATASETS.build(_coco(synthetic_data))
    quarter = DATASETS.build(dict(type='SubsetDataset', dataset=_coco(synthetic_data), fraction=0.25, seed=0))
    again = DATASETS.build(dict(type='SubsetDataset', dataset=_coco(synthetic_data), fraction=0.25, seed=0))
    other = DATASETS.build(dict(type='SubsetDataset', dataset=_coco(synthetic_data), fraction=0.25, seed=1))
    assert len(quarter) == round(len(full) * 0.25) and quarter.indices == again.indices != other.indices
    assert quarter.indices == sorted(set(quarter.indices))
    assert quarter.metainfo == full.metainfo
    assert quarter.get_data_info(1)['img_id'] == full.get_data_info(quarter.indices[1])['img_id']
    assert quarter[0]['img_id'] == full[quarter.indices[0]]['img_id']


@pytest.mark.parametrize('fraction', [0, -0.5, 1.5])
def test_a_fraction_outside_zero_one_is_refused(synthetic_data, fraction):
    with pytest.raises(ValueError, match=f'fraction must be in \\(0, 1\\], got {fraction}'):
        DATASETS.build(dict(type='SubsetDataset', dataset=_coco(synthetic_data), fraction=fraction))
