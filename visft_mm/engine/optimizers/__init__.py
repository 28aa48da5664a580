from .zero_optimizer import ZeroConsolidateHook, ZeroRedundancyOptimizer

__all__ = ['ZeroConsolidateHook', 'ZeroRedundancyOptimizer']
