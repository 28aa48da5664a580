"""The OpenMMLab stack imports together and visft_mm's registry scope works in both directions."""
import importlib

import pytest


@pytest.mark.parametrize('module', ['mmdet.models', 'mmocr.models', 'mmpretrain.models', 'peft', 'mmcv.ops'])
def test_stack_imports(module):
    importlib.import_module(module)


def test_mmcv_compiled_ops_run():
    import torch
    from mmcv.ops import nms
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.], [20., 20., 30., 30.]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    _, keep = nms(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]


def test_versions_are_the_supported_ones():
    import mmcv
    import mmdet
    import mmengine
    import mmocr
    import mmpretrain
    assert (mmengine.__version__, mmcv.__version__, mmdet.__version__, mmpretrain.__version__,
            mmocr.__version__) == ('0.10.7', '2.0.1', '3.1.0', '1.2.0', '1.0.1')
