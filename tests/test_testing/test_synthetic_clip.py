"""The tiny EVA-CLIP writer: an open_clip model in the original EVA-CLIP layout, readable by both sides."""
import json

import torch

from visft_mm.models.weights.eva_formats import detect_format
from visft_mm.models.zero_shot.clip_towers import split_clip_state, to_open_clip_layout
from visft_mm.testing.synthetic_clip import (SHAPE_CLASSES, build_tiny_open_clip, export_eva_clip,
                                             write_shape_folders, write_shape_retrieval, write_tiny_eva_clip)


def test_tiny_eva_clip_file_layouts(tmp_path):
    path = write_tiny_eva_clip(str(tmp_path / 'tiny.pt'), seed=3)
    state = torch.load(path, weights_only=True)
    assert detect_format(state) == 'eva_clip'
    assert {'visual.head.weight', 'visual.head.bias', 'logit_scale', 'text.text_projection',
            'visual.blocks.0.attn.qkv.weight', 'visual.blocks.0.attn.q_bias'} <= set(state)
    model = build_tiny_open_clip(seed=3)
    assert to_open_clip_layout(state).keys() == model.state_dict().keys()  # open_clip's own key set
    assert detect_format(export_eva_clip(model, 'open_clip')) == 'open_clip'
    parts = split_clip_state(state)
    assert parts['head']['weight'].shape == (64, 192) and len(parts['text']) == 29
    assert torch.equal(build_tiny_open_clip(seed=3).text.text_projection, model.text.text_projection)  # seeded


def test_shape_writers(tmp_path):
    write_shape_folders(str(tmp_path / 'cls'), images_per_class=2, image_size=32)
    assert sorted(p.name for p in (tmp_path / 'cls').iterdir()) == list(SHAPE_CLASSES)
    assert len(list((tmp_path / 'cls' / 'star').iterdir())) == 2
    split = json.load(open(write_shape_retrieval(str(tmp_path / 'ret'), num_images=3, image_size=32)))
    assert [len(im['sentences']) for im in split['images']] == [5, 5, 5]
    assert all(im['split'] == 'test' for im in split['images'])
    assert (tmp_path / 'ret' / 'flickr30k-images' / split['images'][2]['filename']).is_file()
