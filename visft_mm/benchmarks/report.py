"""A suite's report: every paper table it touches, as markdown (``report.md``) and plots (``<table>.png``)."""
import os
import os.path as osp
from typing import Dict, List

from .tables import load_table, markdown_table, plot_table


def write_report(suite, results: Dict[str, Dict[str, dict]], out_dir: str) -> List[str]:
    """Writes ``out_dir/report.md`` and one PNG per table with at least two LoRA iteration counts; returns the
    files written (report first)."""
    labels = list(suite.loras)
    sections, written = [], []
    for path in suite.cfg.get('tables', []):
        table = load_table(path)
        sections.append(markdown_table(table, results, suite.cfg.arch, labels))
        name = osp.splitext(osp.basename(path))[0]
        loras = {label: spec for label, spec in suite.cfg.loras.items() if label in suite.loras}
        png = plot_table(table, results, suite.cfg.arch, loras, osp.join(out_dir, f'{name}.png'))
        if png:
            written.append(png)
            sections.append(f'![{table.title}]({osp.basename(png)})')
    report = osp.join(out_dir, 'report.md')
    with open(f'{report}.partial', 'w') as f:  # replaced whole: a kill never leaves half a report
        f.write(f'# ViSFT benchmarks: {suite.cfg.arch}, EVA-CLIP {suite.cfg.eva_checkpoint}\n\n'
                + 'LoRA files: ' + ', '.join(f'{label} = {lora or "none (frozen backbone)"}'
                                             for label, lora in suite.loras.items())
                + '\n\nEach cell: our value (change from the first row); beside it, where the paper has numbers for '
                + 'the arch, the paper\'s value (change).\n\n'
                + '\n\n'.join(sections) + '\n')
    os.replace(f'{report}.partial', report)
    return [report] + written
