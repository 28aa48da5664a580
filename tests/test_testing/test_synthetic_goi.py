"""The synthetic coco-goi generator writes M3IT's layout, deterministically, and the real reader takes it."""
import filecmp
import json

from visft_mm.datasets import M3ITGOIDataset
from visft_mm.testing.synthetic_goi import GOI_CLASSES, generate_goi_data


def test_synthetic_goi_layout_and_determinism(tmp_path):
    first = generate_goi_data(str(tmp_path / 'a'), num_train=6, num_val=3, num_candidates=4, seed=3)
    second = generate_goi_data(str(tmp_path / 'b'), num_train=6, num_val=3, num_candidates=4, seed=3)
    for key in ('goi_train', 'goi_val', 'goi_instructions', 'goi_classes'):
        assert filecmp.cmp(first[key], second[key], shallow=False), key
    with open(first['goi_train']) as f:
        records = [json.loads(line) for line in f]
    assert len(records) == 6
    for record in records:
        assert set(record) == {'input', 'outputs', 'image_str'}
        candidates = record['input'].split('\n')[1:]
        assert len(candidates) == 4 and record['outputs'] in candidates and set(candidates) <= set(GOI_CLASSES)
    with open(first['goi_instructions']) as f:
        assert isinstance(json.load(f), list)
    dataset = M3ITGOIDataset(ann_file=first['goi_val'], classes=first['goi_classes'],
                             pipeline=[dict(type='LoadImageFromBase64')])
    assert len(dataset) == 3 and dataset.skipped_lines == []
    assert dataset[0]['img'].ndim == 3


def test_synthetic_goi_shape_classes_name_the_same_images_by_shape(tmp_path):
    from visft_mm.testing.shapes import SHAPES
    both = generate_goi_data(str(tmp_path), num_train=5, num_val=2, num_candidates=4, seed=1)
    shape = generate_goi_data(str(tmp_path), num_train=5, num_val=2, num_candidates=4, seed=1, classes='shape',
                              folder='coco-goi-shape')
    assert '/coco-goi-shape/' in shape['goi_train']
    with open(both['goi_train']) as f, open(shape['goi_train']) as g:
        pairs = [(json.loads(a), json.loads(b)) for a, b in zip(f, g)]
    for full, by_shape in pairs:
        assert full['image_str'] == by_shape['image_str']  # the same drawing
        assert by_shape['outputs'] == full['outputs'].split(' ')[1]
        assert set(by_shape['input'].split('\n')[1:]) == set(SHAPES)
    with open(shape['goi_classes']) as f:
        assert set(f.read().split('\n')) - {''} <= set(SHAPES)
    import pytest
    with pytest.raises(ValueError, match='classes must be one of'):
        generate_goi_data(str(tmp_path), classes='colour')
