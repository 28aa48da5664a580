"""Registry nodes of visft_mm.

Each node is a child of MMEngine's root registry with scope ``visft_mm`` (as mmdet's, mmpretrain's and mmocr's
are), so that

* our configs set ``default_scope='visft_mm'`` and name upstream modules with their scope, e.g.
  ``type='mmdet.DETRHead'``;
* any OpenMMLab config can use ours as ``type='visft_mm.EVAViT'`` after
  ``custom_imports=dict(imports=['visft_mm'])``.
"""
from mmengine import registry as mmengine_registry
from mmengine.registry import Registry

# name of the mmengine root node -> (registry name, module that registers into it; imported at the first look-up).
# VISUALIZERS / VISBACKENDS hold nothing of ours: the nodes exist so that names resolve in the visft_mm scope.
_NODES = dict(
    RUNNERS=('runner', 'visft_mm.engine'),
    RUNNER_CONSTRUCTORS=('runner constructor', 'visft_mm.engine'),
    LOOPS=('loop', 'visft_mm.engine'),
    HOOKS=('hook', 'visft_mm.engine'),
    DATASETS=('dataset', 'visft_mm.datasets'),
    DATA_SAMPLERS=('data sampler', 'visft_mm.datasets'),
    TRANSFORMS=('transform', 'visft_mm.datasets'),
    MODELS=('model', 'visft_mm.models'),
    MODEL_WRAPPERS=('model_wrapper', 'visft_mm.models'),
    WEIGHT_INITIALIZERS=('weight initializer', 'visft_mm.models'),
    OPTIMIZERS=('optimizer', 'visft_mm.engine'),
    OPTIM_WRAPPERS=('optim_wrapper', 'visft_mm.engine'),
    OPTIM_WRAPPER_CONSTRUCTORS=('optimizer constructor', 'visft_mm.engine'),
    PARAM_SCHEDULERS=('parameter scheduler', 'visft_mm.engine'),
    METRICS=('metric', 'visft_mm.evaluation'),
    EVALUATOR=('evaluator', 'visft_mm.evaluation'),
    TASK_UTILS=('task util', 'visft_mm.models'),
    VISUALIZERS=('visualizer', None),
    VISBACKENDS=('vis_backend', None),
    LOG_PROCESSORS=('log_processor', 'visft_mm.engine'),
)


def _node(root_name: str) -> Registry:
    name, location = _NODES[root_name]
    return Registry(
        name,
        parent=getattr(mmengine_registry, root_name),
        scope='visft_mm',
        locations=[location] if location else [])


RUNNERS = _node('RUNNERS')
RUNNER_CONSTRUCTORS = _node('RUNNER_CONSTRUCTORS')
LOOPS = _node('LOOPS')
HOOKS = _node('HOOKS')
DATASETS = _node('DATASETS')
DATA_SAMPLERS = _node('DATA_SAMPLERS')
TRANSFORMS = _node('TRANSFORMS')
MODELS = _node('MODELS')
MODEL_WRAPPERS = _node('MODEL_WRAPPERS')
WEIGHT_INITIALIZERS = _node('WEIGHT_INITIALIZERS')
OPTIMIZERS = _node('OPTIMIZERS')
OPTIM_WRAPPERS = _node('OPTIM_WRAPPERS')
OPTIM_WRAPPER_CONSTRUCTORS = _node('OPTIM_WRAPPER_CONSTRUCTORS')
PARAM_SCHEDULERS = _node('PARAM_SCHEDULERS')
METRICS = _node('METRICS')
EVALUATOR = _node('EVALUATOR')
TASK_UTILS = _node('TASK_UTILS')
VISUALIZERS = _node('VISUALIZERS')
VISBACKENDS = _node('VISBACKENDS')
LOG_PROCESSORS = _node('LOG_PROCESSORS')
