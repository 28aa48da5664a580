# Runtime of the detection / segmentation heads: mmdet's visualizer and visualization hook.
_base_ = ['./default_runtime.py']
visualizer = dict(type='mmdet.DetLocalVisualizer', name='visualizer')  # vis_backends: default_runtime.py's
default_hooks = dict(visualization=dict(type='mmdet.DetVisualizationHook'))
