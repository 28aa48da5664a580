"""Tables 9-12 (the paper's ablations): the ablation suite's LoRAs fill each table's rows beside the paper's numbers,
every row compared with the default run."""
import os.path as osp

import pytest
from mmengine.config import Config

from visft_mm.benchmarks import markdown_table
from visft_mm.benchmarks.tables import load_table

ROOT = osp.join(osp.dirname(__file__), '..', '..')
SUITE = osp.join(ROOT, 'configs', 'benchmarks', 'ablations_eva_e.py')
TABLES = ('table9_lora_rank', 'table10_data_size', 'table11_head_lr', 'table12_task_selection')


def _table(name):
    return load_table(osp.join(ROOT, 'configs', 'benchmarks', 'paper', f'{name}.py'))


def test_the_suite_has_a_stage2_config_for_every_row_of_the_four_tables():
    suite = Config.fromfile(SUITE)
    assert [osp.join(ROOT, t) for t in suite.tables] == \
        [osp.join(ROOT, 'configs', 'benchmarks', 'paper', f'{n}.py') for n in TABLES]
    for name in TABLES:
        table = _table(name)
        assert table.baseline == 'default' and 'default' in table.rows
        for label in table.rows:
            assert label in suite.loras, (name, label)
            assert set(table.paper['eva-e'][label]) == {c['title'] for c in table.columns}, (name, label)
            run = osp.basename(osp.dirname(suite.loras[label]))  # work_dirs/<config name>/iter_5000.pth
            config = 'stage2_joint.py' if label == 'default' else osp.join('ablations', f'{run}.py')
            assert osp.isfile(osp.join(ROOT, 'configs', 'visft', config)), (label, config)
            assert suite.loras[label].endswith('iter_5000.pth')  # the paper's ablations read the 5k checkpoint


@pytest.mark.parametrize('name, label, column, paper', [
    ('table9_lora_rank', 'r32', 'Text COCO', 87.8), ('table10_data_size', 'data25', 'Image COCO', 75.1),
    ('table11_head_lr', 'head_lr_x1', 'Image COCO', 75.0), ('table12_task_selection', 'with_pose', 'Image COCO', 75.1),
    ('table12_task_selection', 'panoptic', 'Text COCO', 87.8),
    ('table12_task_selection', 'without_detection', 'ImageNet-1K', 82.0)])
def test_paper_values_as_printed(name, label, column, paper):
    assert _table(name).paper['eva-e'][label][column] == paper


def test_report_rows_are_the_tables_own_beside_the_paper_with_changes_from_the_default():
    suite = Config.fromfile(SUITE)
    labels = list(suite.loras)  # default, r8, r16, r32, data25, ...: our text R@5 is 87.0, 87.1, 87.2, ...
    metrics = {label: {'i2t/coco/retrieval/Recall@5': 87.0 + 0.1 * i, 't2i/coco/retrieval/Recall@5': 75.0,
                       'imagenet1k/accuracy/top1': 82.0} for i, label in enumerate(labels)}
    results = {'retrieval_coco': metrics, 'zero_shot_imagenet1k': metrics}
    lines = markdown_table(_table('table9_lora_rank'), results, 'eva-e', labels).splitlines()
    assert lines[2] == '| ViSFT LoRA | Text COCO | Text COCO (paper) | Image COCO | Image COCO (paper) |'
    assert [line.split(' | ')[0] for line in lines[4:8]] == ['| r=8', '| r=16', '| r=32', '| r=64 (default)']
    assert lines[4].startswith('| r=8 | 87.1 (+0.1) | 87.7') and lines[4].endswith('| 75.1 (-0.1) |')
    assert lines[6].startswith('| r=32 | 87.3 (+0.3) | 87.8 (+0.1) |')
    assert lines[7] == '| r=64 (default) | 87.0 | 87.7 | 75.0 | 75.2 |'  # the baseline: no change column
    table12 = markdown_table(_table('table12_task_selection'), results, 'eva-e', labels).splitlines()
    assert len(table12) == 4 + 6  # title, blank, header, rule and its six rows: no other LoRA of the suite
    pose = next(line for line in table12 if line.startswith('| + pose |'))
    assert pose.split(' | ')[1:4] == ['82.0 (+0.0)', '82.1', '87.8 (+0.8)'] and pose.endswith('| 75.1 (-0.1) |')
    # a suite run with some LoRAs only (--only-loras) shows the rows it has
    partial = markdown_table(_table('table11_head_lr'), results, 'eva-e', ['default', 'head_lr_x1']).splitlines()
    assert [line.split(' | ')[0] for line in partial[4:]] == ['| x0 (heads frozen, default)', '| x1']
