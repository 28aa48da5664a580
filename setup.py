"""visft_mm: ViSFT (arXiv 2401.10222) as an OpenMMLab plugin."""
import os.path as osp
import re

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_version():
    with open(osp.join(HERE, 'visft_mm', 'version.py')) as f:
        return re.search(r"__version__ = '([^']+)'", f.read()).group(1)


def parse_requirements(name):
    """Requirement lines of ``requirements/<name>.txt`` (comments dropped)."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


setup(
    name='visft_mm',
    version=read_version(),
    description='ViSFT: supervised fine-tuning of CLIP vision foundation '
    'models, as an OpenMMLab plugin',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'demo')),
    include_package_data=True,
    package_data={'visft_mm.datasets': ['data/*.json']},  # ImageNet WordNet ids of the zero-shot readers
    python_requires='>=3.9',
    # mmcv (compiled ops) is installed by tools/install_mmcv.sh, not by pip:
    # PyPI only has its source and that source needs a patch to build.
    install_requires=parse_requirements('runtime'),
    extras_require=dict(
        tests=parse_requirements('tests'),
        build=parse_requirements('build'),
    ),
    zip_safe=False,
)
