"""The floors of the package: checkpoint at the bottom, models never reaching up into engine."""
import subprocess
import sys

# imported in this order in one fresh interpreter; after each, none of the packages above it may be loaded
FLOORS = [('visft_mm.checkpoint', ('visft_mm.models', 'visft_mm.engine')),
          ('visft_mm.models.backbones', ('visft_mm.engine',)),
          ('visft_mm.models', ('visft_mm.engine',))]


def test_importing_a_floor_loads_nothing_above_it():
    code = ['import importlib, sys']
    for module, above in FLOORS:
        code += [f'importlib.import_module({module!r})',
                 f'bad = sorted(m for m in sys.modules if m.startswith({above!r}))',
                 f'assert not bad, ({module!r}, bad)']
    result = subprocess.run([sys.executable, '-c', '\n'.join(code)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
