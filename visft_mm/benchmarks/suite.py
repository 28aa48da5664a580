"""A benchmark suite: which out-of-domain evaluations x which ViSFT LoRA files, run cell by cell, resumable.

A suite config (``configs/benchmarks/*.py``) names the backbone (``arch``, ``eva_checkpoint``), the LoRA files to
compare (``loras``: label -> stage-2 checkpoint / peft folder / official file, ``None`` = the frozen backbone),
the benchmarks (``benchmarks``: name -> ``dict(config=..., train=False, cfg_options={})``) and the paper tables
to lay the results out in (``tables``).  Each (benchmark, LoRA) cell runs the user's own path — ``tools/train.py``
for the probes that train, then ``tools/test.py CONFIG [CKPT] --lora LORA``, i.e. ``train_main`` / ``test_main``
(under torchrun: ``python -m visft_mm train|test``) — and writes one JSON, keyed by the fingerprints of the config,
the EVA-CLIP file and the LoRA file: a finished cell is never recomputed, a changed file is, and an interrupted
training resumes from its last checkpoint.
"""
import hashlib
import json
import os
import os.path as osp
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Dict, List, Optional

from mmengine.config import Config

from visft_mm.checkpoint.fingerprint import file_fingerprint
from visft_mm.engine.launch import eva_init_cfgs, test_main, train_main, write_json

def lora_iterations(label: str, spec) -> Optional[float]:
    """Stage-2 iterations of a LoRA, for plots: ``dict(iters=...)`` or a label like '5k' / '0k'."""
    if isinstance(spec, dict) and 'iters' in spec:
        return float(spec['iters'])
    match = re.fullmatch(r'(\d+(?:\.\d+)?)k', label)
    return float(match.group(1)) * 1000 if match else None


@dataclass
class Cell:
    benchmark: str
    lora_label: str
    lora: Optional[str]
    key: str
    result_file: str
    work_dir: str


class BenchmarkSuite:
    """Runs a suite config; ``results()`` gives ``{benchmark: {lora label: metrics}}``."""

    def __init__(self, cfg: Config, work_dir: Optional[str] = None, gpus: int = 1, log=print,
                 only_loras: Optional[List[str]] = None, only_benchmarks: Optional[List[str]] = None):
        for key in ('arch', 'eva_checkpoint', 'loras', 'benchmarks'):
            if key not in cfg:
                raise ValueError(f'a benchmark suite config needs `{key}` (see configs/benchmarks/)')
        self.cfg = cfg
        self.work_dir = work_dir or cfg.get('work_dir') or osp.join('work_dirs', 'benchmarks', 'suite')
        self.gpus = gpus
        self.log = log
        for what, chosen, known in (('LoRA', only_loras, cfg.loras), ('benchmark', only_benchmarks, cfg.benchmarks)):
            unknown = sorted(set(chosen or ()) - set(known))
            if unknown:
                raise ValueError(f'{what}(s) {unknown} are not in the suite: choose from {list(known)}')
        self.loras = {label: spec.get('checkpoint') if isinstance(spec, dict) else spec
                      for label, spec in cfg.loras.items() if not only_loras or label in only_loras}
        self.benchmarks = {name: bench for name, bench in cfg.benchmarks.items()
                           if not only_benchmarks or name in only_benchmarks}
        missing = {label: path for label, path in self.loras.items() if path is not None and not osp.exists(path)}
        if missing:
            raise FileNotFoundError(f'LoRA file(s) of the suite do not exist: {missing}; train them, point loras.<label> '
                                    'elsewhere (--cfg-options), or leave them out (--only-loras)')
        if not osp.exists(cfg.eva_checkpoint):
            raise FileNotFoundError(f'the suite\'s eva_checkpoint {cfg.eva_checkpoint!r} does not exist')
        for name, bench in self.benchmarks.items():
            unknown = set(bench) - {'config', 'train', 'cfg_options'}
            if 'config' not in bench or unknown:
                raise ValueError(f'benchmarks.{name} takes config (required), train, cfg_options; got {sorted(bench)}')
            if not osp.isfile(bench['config']):
                raise FileNotFoundError(f'benchmarks.{name}.config {bench["config"]!r} does not exist')
        self._fingerprints: Dict[str, str] = {}

    # ------------------------------------------------------------------------------------------------------- cells
    def _fingerprint(self, path):
        if path not in self._fingerprints:
            self._fingerprints[path] = file_fingerprint(path)
        return self._fingerprints[path]

    def cells(self) -> List[Cell]:
        cells = []
        for name, bench in self.benchmarks.items():
            config_text = Config.fromfile(bench['config']).pretty_text
            for label, lora in self.loras.items():
                identity = dict(config=config_text, train=bool(bench.get('train')), arch=self.cfg.arch,
                                cfg_options=bench.get('cfg_options', {}),
                                eva=self._fingerprint(self.cfg.eva_checkpoint), lora=self._fingerprint(lora))
                key = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()
                stem = f'{self.cfg.arch}_{label}'
                cells.append(Cell(name, label, lora, key,
                                  osp.join(self.work_dir, 'results', name, f'{stem}.json'),
                                  osp.join(self.work_dir, 'runs', name, f'{stem}_{key[:10]}')))
        return cells

    @staticmethod
    def finished(cell: Cell) -> bool:
        if not osp.isfile(cell.result_file):
            return False
        with open(cell.result_file) as f:
            return json.load(f).get('key') == cell.key

    # --------------------------------------------------------------------------------------------------------- run
    def run(self) -> Dict[str, Dict[str, dict]]:
        cells = self.cells()
        start, ran = time.time(), 0
        for i, cell in enumerate(cells, 1):
            where = f'[benchmark {i}/{len(cells)}] {cell.benchmark} x {cell.lora_label}'
            if self.finished(cell):
                self.log(f'{where}: done before ({cell.result_file}), not recomputed')
                continue
            self.log(f'{where}: running (LoRA {cell.lora or "none: frozen backbone"})')
            cell_start = time.time()
            metrics = self.run_cell(cell)
            ran += 1
            write_json(cell.result_file, dict(benchmark=cell.benchmark, lora_label=cell.lora_label, lora=cell.lora,
                                              arch=self.cfg.arch, eva_checkpoint=self.cfg.eva_checkpoint,
                                              key=cell.key, seconds=round(time.time() - cell_start, 1),
                                              metrics=metrics))
            left = len(cells) - i
            self.log(f'{where}: {time.time() - cell_start:.1f} s; {left} cell(s) left, '
                     f'{time.time() - start:.0f} s so far')
        self.log(f'[benchmark] {ran} cell(s) computed, {len(cells) - ran} reused, {time.time() - start:.1f} s')
        return self.results()

    def _common_args(self, cell: Cell, config: str, bench: dict) -> List[str]:
        found = eva_init_cfgs(Config.fromfile(config).model)
        if len(found) != 1 or '[' in found[0][0]:
            raise ValueError(f'{config}: a benchmark config needs exactly one EVAPretrained init_cfg, found '
                             f'{[path for path, _ in found]}')
        options = {f'{found[0][0]}.checkpoint': self.cfg.eva_checkpoint,
                   'experiment_name': f'{cell.benchmark}_{cell.lora_label}_{uuid.uuid4().hex[:8]}',
                   **bench.get('cfg_options', {})}
        args = ['--work-dir', cell.work_dir, '--cfg-options', *(f'{k}={v}' for k, v in options.items())]
        return args + (['--lora', cell.lora] if cell.lora else [])

    def run_cell(self, cell: Cell) -> dict:
        bench = self.benchmarks[cell.benchmark]
        config = bench['config']
        common = self._common_args(cell, config, bench)
        checkpoint = None
        if bench.get('train'):
            resume = ['--resume'] if osp.isfile(osp.join(cell.work_dir, 'last_checkpoint')) else []
            self._launch('train', [config, *resume, *common])
            checkpoint = last_checkpoint(cell.work_dir)
        out = osp.join(cell.work_dir, 'metrics.json')
        self._launch('test', [config, *([checkpoint] if checkpoint else []), *common, '--out', out])
        with open(out) as f:
            return json.load(f)['metrics']

    def _launch(self, what: str, argv: List[str]) -> None:
        if self.gpus <= 1:  # in this process: the tools' own functions, no interpreter start per cell
            (train_main if what == 'train' else test_main)(argv)
            return
        # the installed package's entry (visft_mm/__main__.py), so a wheel install runs it as a checkout does
        command = [sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={self.gpus}',
                   f'--master_port={os.environ.get("PORT", 29500)}', '-m', 'visft_mm', what, *argv,
                   '--launcher', 'pytorch']
        subprocess.run(command, check=True)

    # ----------------------------------------------------------------------------------------------------- results
    def results(self) -> Dict[str, Dict[str, dict]]:
        out: Dict[str, Dict[str, dict]] = {}
        for cell in self.cells():
            if self.finished(cell):
                with open(cell.result_file) as f:
                    out.setdefault(cell.benchmark, {})[cell.lora_label] = json.load(f)['metrics']
        return out


def last_checkpoint(work_dir: str) -> str:
    """The checkpoint mmengine's ``last_checkpoint`` pointer names (the end of a finished training)."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        raise FileNotFoundError(f'{work_dir} holds no last_checkpoint: the probe training saved no checkpoint '
                                '(default_hooks.checkpoint)')
    with open(pointer) as f:
        path = f.read().strip()
    if not osp.isfile(path):
        raise FileNotFoundError(f'{pointer} names {path!r}, which does not exist')
    return path
