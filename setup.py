"""visft_mm: ViSFT (arXiv 2401.10222) as an OpenMMLab plugin."""
import os.path as osp
import re
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = osp.dirname(osp.abspath(__file__))


def read_version():
    with open(osp.join(HERE, 'visft_mm', 'version.py')) as f:
        return re.search(r"__version__ = '([^']+)'", f.read()).group(1)


def parse_requirements(name):
    """Requirement lines of ``requirements/<name>.txt`` (comments dropped)."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


class BuildPyWithMim(build_py):
    """build_py that also copies configs/, tools/ and model-index.yml into ``visft_mm/.mim/`` of the build: the
    layout mmengine reads ``visft_mm::<config>`` bases from and ``mim train visft_mm`` runs tools/train.py from (as
    mmdet's wheels).  The copy exists only in the build (and so the wheel), never in the source tree."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):  # an editable install reads the source tree
            return
        mim = osp.join(self.build_lib, 'visft_mm', '.mim')
        for name in ('configs', 'tools'):
            shutil.rmtree(osp.join(mim, name), ignore_errors=True)
            shutil.copytree(osp.join(HERE, name), osp.join(mim, name),
                            ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        shutil.copy(osp.join(HERE, 'model-index.yml'), mim)  # mmengine reads it before .mim/configs


setup(
    name='visft_mm',
    version=read_version(),
    description='ViSFT: supervised fine-tuning of CLIP vision foundation '
    'models, as an OpenMMLab plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'demo')),
    package_data={'visft_mm.datasets': ['data/*.json']},  # ImageNet WordNet ids of the zero-shot readers
    python_requires='>=3.9',
    # mmcv (compiled ops) is installed by tools/install_mmcv.sh, not by pip:
    # PyPI only has its source and that source needs a patch to build.
    install_requires=parse_requirements('runtime'),
    extras_require=dict(
        tests=parse_requirements('tests'),
        build=parse_requirements('build'),
    ),
    # tools/train.py and tools/test.py without a source checkout (also: python -m visft_mm train|test ...)
    entry_points={'console_scripts': ['visft-train = visft_mm.__main__:train', 'visft-test = visft_mm.__main__:test']},
    cmdclass={'build_py': BuildPyWithMim},
    zip_safe=False,
)
