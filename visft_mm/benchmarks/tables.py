"""The paper's tables, filled with a suite's results: markdown beside the paper's numbers, and plots.

A table file (``configs/benchmarks/paper/*.py``) is plain data::

    title = 'Table 3: OCR, word accuracy (%)'
    columns = [dict(title='IIIT', benchmark='ocr', metric='IIIT5K/recog/word_acc', scale=100), ...]
    paper = {'eva-g': {'0k': {'IIIT': 50.1, ...}, '5k': {...}}}   # by arch, LoRA label, column title

``benchmark`` names a benchmark of the suite, ``metric`` a key of that benchmark's metrics; ``scale`` turns a
fraction into the paper's percent.  Rows are the suite's LoRA labels in order; each cell shows our value and its
change from the first row (the frozen backbone), with the paper's value and change beside it (no paper columns
when the paper has no numbers for the arch).  ``reference = 'open_clip'`` names another source of those
numbers.  An ablation table picks its rows from a larger suite and names the
row the others are compared to::

    rows = {'r8': 'r=8', 'r16': 'r=16', 'default': 'r=64 (default)'}   # LoRA label -> row title, in order
    baseline = 'default'
"""
import os
import os.path as osp
from typing import Dict, List, Optional

from mmengine.config import Config

from .suite import lora_iterations


def load_table(path: str) -> Config:
    table = Config.fromfile(path)
    for key in ('title', 'columns'):
        if key not in table:
            raise ValueError(f'table file {path!r} needs `{key}`')
    for column in table.columns:
        if not {'title', 'benchmark', 'metric'} <= set(column):
            raise ValueError(f'{path!r}: every column needs title, benchmark, metric; got {dict(column)}')
    return table


def _value(results, column) -> Optional[float]:
    metrics = results.get(column['benchmark'], {})
    if column['metric'] not in metrics:
        return None
    return float(metrics[column['metric']]) * column.get('scale', 1)


def _cell(value, base, digits) -> str:
    if value is None:
        return '—'
    if base is None or value is base:
        return f'{value:.{digits}f}'
    return f'{value:.{digits}f} ({value - base:+.{digits}f})'


def table_rows(table: Config, labels: List[str]) -> Dict[str, str]:
    """{LoRA label: row title}: the table's ``rows`` the suite has (all the suite's labels without ``rows``)."""
    rows = table.get('rows')
    if rows is None:
        return {label: label for label in labels}
    rows = dict(rows) if isinstance(rows, dict) else {label: label for label in rows}
    return {label: title for label, title in rows.items() if label in labels}


def markdown_table(table: Config, results: Dict[str, Dict[str, dict]], arch: str, labels: List[str]) -> str:
    """``results``: {benchmark: {lora label: metrics}}.  Columns a suite did not run are left out, and so are the
    table's ``rows`` it has no LoRA for."""
    rows = table_rows(table, labels)
    labels = list(rows)
    columns = [c for c in table.columns if c['benchmark'] in results]
    paper = (table.get('paper') or {}).get(arch, {})
    digits = table.get('digits', 1)
    with_paper = bool(paper)  # a table the paper has no numbers for (this arch, the demo) gets no paper columns
    source = table.get('reference', 'paper')  # whose numbers ``paper`` holds (open_clip's for the CLIP families)
    header = ['ViSFT LoRA'] + [f'{c["title"]} | {c["title"]} ({source})' if with_paper else c['title']
                               for c in columns]
    lines = [f'**{table.title}** ({arch})', '', '| ' + ' | '.join(header) + ' |',
             '|' + ' --- |' * (1 + (2 if with_paper else 1) * len(columns))]
    first = table.get('baseline') if table.get('baseline') in labels else (labels[0] if labels else None)
    for label in labels:
        row = [rows[label]]
        for c in columns:
            ours = _value({b: r.get(label, {}) for b, r in results.items()}, c)
            ours_base = _value({b: r.get(first, {}) for b, r in results.items()}, c)
            theirs = paper.get(label, {}).get(c['title'])
            theirs_base = paper.get(first, {}).get(c['title'])
            row.append(_cell(ours, ours_base if label != first else None, digits))
            if with_paper:
                row.append(_cell(theirs, theirs_base if label != first else None, digits))
        lines.append('| ' + ' | '.join(row) + ' |')
    if table.get('note'):
        lines += ['', table.note]
    return '\n'.join(lines)


def plot_table(table: Config, results, arch: str, loras: dict, out_file: str) -> Optional[str]:
    """Each column's metric against stage-2 iterations (ours solid, the paper's dashed); None if nothing to plot."""
    points = {label: lora_iterations(label, spec) for label, spec in loras.items()}
    points = {label: it for label, it in points.items() if it is not None}
    columns = [c for c in table.columns if c['benchmark'] in results]
    if len(points) < 2 or not columns:
        return None
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    paper = (table.get('paper') or {}).get(arch, {})
    cols = min(len(columns), 4)
    rows = (len(columns) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for ax, column in zip(axes.flat, columns):
        for source, style in (('ours', '-o'), ('paper', '--s')):
            xs, ys = [], []
            for label, it in sorted(points.items(), key=lambda kv: kv[1]):
                value = (_value({b: r.get(label, {}) for b, r in results.items()}, column) if source == 'ours'
                         else paper.get(label, {}).get(column['title']))
                if value is not None:
                    xs.append(it / 1000)
                    ys.append(value)
            if xs:
                ax.plot(xs, ys, style, label=source, markersize=4)
        ax.set_title(column['title'], fontsize=9)
        ax.set_xlabel('stage-2 iterations (k)', fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(columns):]:
        ax.axis('off')
    fig.suptitle(f'{table.title} ({arch})', fontsize=10)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fig.savefig(out_file, dpi=110)
    plt.close(fig)
    return out_file
