"""Class names and prompt templates of the zero-shot benchmarks, as CLIP_benchmark publishes them.

Names and templates are read from the ``clip_benchmark`` package data (``en_classnames.json``,
``en_zeroshot_classification_templates.json``; the package's modules are not imported).  CIFAR names are the
ones in the CIFAR pickles (CLIP_benchmark takes them from torchvision, which reads the pickles; mmpretrain ships
the same tuples).  ImageNet-A / -R are the 200-class subsets of ImageNet-1k in WordNet-id order
(``data/imagenet_wnids.json``).
"""
import json
import os.path as osp
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Sequence, Union

# benchmark name (visft_mm's: config names, metric prefixes) -> (class-name key, template key) in CLIP_benchmark's
# files
BENCHMARKS = {
    'imagenet1k': ('imagenet1k', 'imagenet1k'),
    'imagenet_a': ('imagenet-a', 'imagenet1k'),
    'imagenet_r': ('imagenet-r', 'imagenet1k'),
    'imagenet_sketch': ('imagenet1k', 'imagenet1k'),
    'cifar10': ('cifar10', 'cifar10'),
    'cifar100': ('cifar100', 'cifar100'),
    'eurosat': ('eurosat', 'eurosat'),
    'gtsrb': ('gtsrb', 'gtsrb'),
    'caltech101': ('caltech101', 'caltech101'),
}
IMAGENET_SUBSETS = {'imagenet1k': 'imagenet1k', 'imagenet_a': 'imagenet-a', 'imagenet_r': 'imagenet-r'}  # -> json key


@lru_cache(maxsize=None)
def _clip_benchmark_json(name: str) -> dict:
    try:
        files = resources.files('clip_benchmark.datasets')
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError('zero-shot class names and templates come from the clip_benchmark package '
                                  '(pip install clip_benchmark; see requirements/runtime.txt)') from e
    return json.loads((files / name).read_text())


@lru_cache(maxsize=None)
def imagenet_wnids() -> Dict[str, List[str]]:
    """``{'imagenet1k': [1000 wnids in class-index order], 'imagenet_a': [200], 'imagenet_r': [200]}``."""
    with open(osp.join(osp.dirname(__file__), 'data', 'imagenet_wnids.json')) as f:
        data = json.load(f)
    return {name: data[key] for name, key in IMAGENET_SUBSETS.items()}


def _cifar_names(name: str) -> List[str]:
    from mmpretrain.datasets.categories import CIFAR10_CATEGORIES, CIFAR100_CATEGORIES
    return list(CIFAR10_CATEGORIES if name == 'cifar10' else CIFAR100_CATEGORIES)


def classnames(benchmark: Union[str, Sequence[str]]) -> List[str]:
    """The prompt class names of a benchmark in label order (a list passes through)."""
    if not isinstance(benchmark, str):
        return list(benchmark)
    key = _key(benchmark)[0]
    if key in ('cifar10', 'cifar100'):
        return _cifar_names(key)
    names = _clip_benchmark_json('en_classnames.json')
    if benchmark in ('imagenet_a', 'imagenet_r'):
        wnids = imagenet_wnids()
        index = {w: i for i, w in enumerate(wnids['imagenet1k'])}
        return [names['imagenet1k'][index[w]] for w in sorted(wnids[benchmark])]
    return list(names[key])


def templates(benchmark: Union[str, Sequence[str]]) -> List[str]:
    """The prompt templates of a benchmark (``'a photo of a {c}.'``; a list passes through)."""
    if not isinstance(benchmark, str):
        found = list(benchmark)
    else:
        found = list(_clip_benchmark_json('en_zeroshot_classification_templates.json')[_key(benchmark)[1]])
    bad = [t for t in found if '{c}' not in t]
    if bad or not found:
        raise ValueError(f'prompt templates must each contain "{{c}}" for the class name; got {bad or found}')
    return found


def _key(benchmark: str):
    if benchmark not in BENCHMARKS:
        raise KeyError(f'unknown zero-shot benchmark {benchmark!r}; known: {sorted(BENCHMARKS)} '
                       '(or give the class names / templates as lists)')
    return BENCHMARKS[benchmark]
