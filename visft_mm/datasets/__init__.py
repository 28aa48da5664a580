from .coco import StrictCocoDataset
from .synthetic import SyntheticCocoGenerator, SyntheticDataConfig, generate_synthetic_data

__all__ = ['StrictCocoDataset', 'SyntheticCocoGenerator', 'SyntheticDataConfig', 'generate_synthetic_data']
