# Runtime of the detection / segmentation heads: mmdet's visualizer and visualization hook.
_base_ = ['./default_runtime.py']
visualizer = dict(type='mmdet.DetLocalVisualizer', vis_backends=[dict(type='LocalVisBackend')], name='visualizer')
default_hooks = dict(visualization=dict(type='mmdet.DetVisualizationHook'))
