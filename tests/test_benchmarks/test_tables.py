"""The paper-table writer puts our numbers and the paper's in the right cells."""
from mmengine.config import Config

from visft_mm.benchmarks import file_fingerprint, markdown_table, plot_table

TABLE = Config(dict(
    title='Table X: probe accuracy (%)',
    columns=[dict(title='Set A', benchmark='probe', metric='a/acc', scale=100),
             dict(title='Avg', benchmark='probe', metric='mean'),
             dict(title='Other', benchmark='not_run', metric='x')],
    paper={'eva-g': {'0k': {'Set A': 50.0, 'Avg': 44.4}, '5k': {'Set A': 52.5, 'Avg': 46.9}}},
    note='Avg: the plain mean over the sets.'))
RESULTS = {'probe': {'0k': {'a/acc': 0.5012, 'mean': 40.0}, '5k': {'a/acc': 0.5234, 'mean': 39.5},
                     '15k': {'a/acc': 0.55}}}


def test_cells_hold_ours_and_the_papers_with_changes_from_the_first_row():
    expected = '\n'.join([
        '**Table X: probe accuracy (%)** (eva-g)',
        '',
        '| ViSFT LoRA | Set A | Set A (paper) | Avg | Avg (paper) |',
        '| --- | --- | --- | --- | --- |',
        '| 0k | 50.1 | 50.0 | 40.0 | 44.4 |',
        '| 5k | 52.3 (+2.2) | 52.5 (+2.5) | 39.5 (-0.5) | 46.9 (+2.5) |',
        '| 15k | 55.0 (+4.9) | — | — | — |',
        '',
        'Avg: the plain mean over the sets.'])
    assert markdown_table(TABLE, RESULTS, 'eva-g', ['0k', '5k', '15k']) == expected


def test_an_arch_without_paper_numbers_gets_no_paper_columns():
    table = markdown_table(TABLE, RESULTS, 'eva-e', ['0k', '5k'])
    assert '| ViSFT LoRA | Set A | Avg |' in table and '| 5k | 52.3 (+2.2) | 39.5 (-0.5) |' in table


def test_plot_per_table(tmp_path):
    out = plot_table(TABLE, RESULTS, 'eva-g', {'0k': None, '5k': 'a.pth', '15k': dict(checkpoint='b.pth')},
                     str(tmp_path / 'table.png'))
    assert out and (tmp_path / 'table.png').stat().st_size > 1000
    assert plot_table(TABLE, RESULTS, 'eva-g', {'r8': 'a.pth'}, str(tmp_path / 'none.png')) is None


def test_fingerprints_follow_content(tmp_path):
    (tmp_path / 'a.pth').write_bytes(b'1234')
    first = file_fingerprint(str(tmp_path / 'a.pth'))
    (tmp_path / 'a.pth').write_bytes(b'1235')
    assert file_fingerprint(str(tmp_path / 'a.pth')) != first
    (tmp_path / 'dir').mkdir()
    (tmp_path / 'dir' / 'adapter_config.json').write_text('{}')
    assert len(file_fingerprint(str(tmp_path / 'dir'))) == 64
