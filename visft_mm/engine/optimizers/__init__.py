from .zero_optimizer import ConsolidatingZeroRedundancyOptimizer, ZeroConsolidateHook

__all__ = ['ConsolidatingZeroRedundancyOptimizer', 'ZeroConsolidateHook']
